import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType, type APIApplicationCommandOption, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { checkServerName, SWITCHES, type OptionSpec } from '../../src/core/index.js';
import { CHAT_VERBS, chatSpecOf, type ChatVerb, type ChatVerbSpec } from '../shared/chat-verbs.js';

export type DiscordVerb = ChatVerb;
export const DISCORD_VERBS: readonly DiscordVerb[] = CHAT_VERBS.map((s) => s.verb as DiscordVerb);

const S = ApplicationCommandOptionType.String;

const SERVER_OPTION: APIApplicationCommandOption = { type: S, name: 'server', description: 'Remote Desktop server (NetBIOS or DNS name)', autocomplete: true, max_length: 253 };
const ARGS_OPTION: APIApplicationCommandOption = { type: S, name: 'args', description: 'The whole command in CMD syntax instead, e.g. /server:rds01 3 /v', max_length: 1000 };

function switchOption(o: OptionSpec): APIApplicationCommandOption {
  switch (o.kind) {
    case 'boolean':
      return { type: ApplicationCommandOptionType.Boolean, name: o.name, description: o.description };
    case 'integer': {
      const opt: APIApplicationCommandOption = { type: ApplicationCommandOptionType.Integer, name: o.name, description: o.description };
      if (o.min !== undefined) opt.min_value = o.min;
      if (o.max !== undefined) opt.max_value = o.max;
      return opt;
    }
    case 'choice':
      return { type: S, name: o.name, description: o.description, choices: (o.choices ?? []).map((c) => ({ name: c, value: c })) };
    case 'text': {
      const opt: APIApplicationCommandOption = { type: S, name: o.name, description: o.description };
      if (o.maxLength !== undefined) opt.max_length = o.maxLength;
      return opt;
    }
  }
}

const QUOTES = /["\u201C\u201D\u201E]/;

export interface RegistrationOptions {
  /** Also offer the commands in DMs with the bot (DISCORD_ALLOW_DMS). */
  allowDms: boolean;
  /** Who sees the commands by default, as a permission bitfield (DISCORD_DEFAULT_MEMBER_PERMISSIONS); unset: everyone. */
  defaultMemberPermissions?: string;
}

/** One verb's slash command, from the verb table: server, target, its switches' options, text, and `args`. */
function commandOf(spec: ChatVerbSpec, r: RegistrationOptions): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const options: APIApplicationCommandOption[] = [SERVER_OPTION];
  const t = spec.chat.target;
  if (t) options.push({ type: S, name: t.option, description: t.description, autocomplete: true, max_length: 200 });
  if (spec.chat.text) options.push({ type: S, name: 'text', description: spec.chat.text.description, max_length: spec.chat.text.maxLength });
  for (const name of spec.switches) {
    const o = SWITCHES[name].option;
    if (o) options.push(switchOption(o));
  }
  options.push(ARGS_OPTION);
  const body: RESTPostAPIChatInputApplicationCommandsJSONBody = {
    name: spec.verb,
    description: spec.summary.slice(0, 100),
    options,
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: r.allowDms ? [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel] : [InteractionContextType.Guild],
  };
  if (r.defaultMemberPermissions !== undefined) body.default_member_permissions = r.defaultMemberPermissions;
  return body;
}

/** The slash commands, with typed options and a free-text `args` that takes the exact CMD syntax. */
export function discordCommands(r: RegistrationOptions): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return CHAT_VERBS.map((spec) => commandOf(spec, r));
}

/** The commands as registered by default (guild channels only, everyone sees them). */
export const COMMANDS = discordCommands({ allowDms: false });

export interface OptionValues {
  string(name: string): string | null;
  boolean(name: string): boolean | null;
  integer(name: string): number | null;
}

export type BuiltText = { ok: true; text: string } | { ok: false; message: string };

/** A typed session or user stays one word: quoted when it has spaces or looks like a switch. */
function asTarget(v: string): BuiltText {
  if (v.includes('"')) return { ok: false, message: `"${v}" is not a session ID, session name or user name` };
  return { ok: true, text: /\s/.test(v) || /^[/-]/.test(v) ? `"${v}"` : v };
}

/**
 * The command text the core parses: `args` as typed, or the typed options in CMD syntax (switches
 * and /server: first, so a message's text stays last). A typed value stays a value: a server with
 * spaces or switches in it is refused as a server name, never read as the switches it contains.
 */
export function commandText(verb: DiscordVerb, o: OptionValues): BuiltText {
  const spec = chatSpecOf(verb);
  if (!spec) return { ok: false, message: `unknown command /${verb}` };
  const parts: string[] = [];
  let typed = false;
  for (const name of spec.switches) {
    const opt = SWITCHES[name].option;
    if (!opt) continue;
    if (opt.kind === 'boolean') {
      const v = o.boolean(opt.name);
      typed ||= v !== null;
      if (v) parts.push(`/${name}`);
    } else if (opt.kind === 'integer') {
      const v = o.integer(opt.name);
      typed ||= v !== null;
      if (v !== null) parts.push(`/${name}:${v}`);
    } else if (opt.kind === 'text') {
      const v = o.string(opt.name);
      typed ||= v !== null;
      // Free text goes quoted, as one switch value; a quote inside would end it early.
      if (v && QUOTES.test(v)) return { ok: false, message: `the ${opt.name} cannot contain a double quote; use ' instead` };
      if (v) parts.push(`/${name}:"${v}"`);
    } else {
      const v = o.string(opt.name);
      typed ||= v !== null;
      if (v && !(opt.choices ?? []).includes(v)) return { ok: false, message: `"${v}" is not one of ${(opt.choices ?? []).join(', ')} for ${opt.name}` };
      if (v) parts.push(`/${name}:${v}`);
    }
  }
  const server = o.string('server');
  if (server) {
    const check = checkServerName(server);
    if (!check.ok) return { ok: false, message: check.message };
    // Always /server:, so a server is never mistaken for a user name.
    parts.push(`/server:${check.name}`);
  }
  const target = spec.chat.target ? o.string(spec.chat.target.option) : null;
  if (target) {
    const t = asTarget(target);
    if (!t.ok) return t;
    parts.push(t.text);
  }
  const text = spec.chat.text ? o.string('text') : null;
  if (text) parts.push(text);
  typed ||= server !== null || target !== null || text !== null;
  const free = o.string('args');
  if (free !== null) {
    if (typed) return { ok: false, message: 'give either the options or args, not both' };
    return { ok: true, text: free };
  }
  return { ok: true, text: parts.join(' ') };
}
