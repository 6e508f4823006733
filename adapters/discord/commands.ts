import type { Verb } from '../../src/core/index.js';
import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export type DiscordVerb = Exclude<Verb, 'help'>;
export const DISCORD_VERBS: readonly DiscordVerb[] = ['rwinsta', 'qwinsta', 'tsdiscon', 'msg'];

const S = ApplicationCommandOptionType.String;
const B = ApplicationCommandOptionType.Boolean;
const I = ApplicationCommandOptionType.Integer;

const server = { type: S, name: 'server', description: 'Remote Desktop server (NetBIOS or DNS name)', autocomplete: true, max_length: 253 } as const;
const session = { type: S, name: 'session', description: 'Session ID, IDs (1,2,3), session name or user', autocomplete: true, max_length: 200 } as const;
const verbose = { type: B, name: 'verbose', description: 'Report each step with its duration (/v)' } as const;
const force = { type: B, name: 'force', description: 'Skip the confirmation if your role grants force (/f)' } as const;
const args = { type: S, name: 'args', description: 'The whole command in CMD syntax instead, e.g. /server:rds01 3 /v', max_length: 1000 } as const;

/** The slash commands, with typed options and a free-text `args` that takes the exact CMD syntax. */
export const COMMANDS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    name: 'rwinsta',
    description: 'Log off (reset) a Remote Desktop session',
    dm_permission: true,
    options: [
      server,
      session,
      verbose,
      { type: B, name: 'disc', description: 'Log off every disconnected session (/disc)' },
      { type: B, name: 'all', description: 'Log off every user session (/all)' },
      force,
      args,
    ],
  },
  {
    name: 'qwinsta',
    description: 'List Remote Desktop sessions, or find a user on every server',
    dm_permission: true,
    options: [
      server,
      { ...session, name: 'user', description: 'A user (jdoe, CORP\\jdoe, j*) or session; alone: search every server' },
      {
        type: S,
        name: 'state',
        description: 'Only sessions in this state',
        choices: ['active', 'disc', 'conn', 'idle', 'listen', 'down'].map((s) => ({ name: s, value: s })),
      },
      verbose,
      args,
    ],
  },
  {
    name: 'tsdiscon',
    description: 'Disconnect a Remote Desktop session (programs keep running)',
    dm_permission: true,
    options: [server, session, verbose, force, args],
  },
  {
    name: 'msg',
    description: 'Show a message box in Remote Desktop sessions',
    dm_permission: true,
    options: [
      server,
      { ...session, description: 'Session ID, name, user, or * for every session' },
      { type: S, name: 'text', description: 'The message', max_length: 1000 },
      { type: I, name: 'time', description: 'Close it after this many seconds (/time)', min_value: 0, max_value: 86_400 },
      { type: B, name: 'wait', description: 'Wait until the user presses OK (/w)' },
      args,
    ],
  },
];

export interface OptionValues {
  string(name: string): string | null;
  boolean(name: string): boolean | null;
  integer(name: string): number | null;
}

export type BuiltText = { ok: true; text: string } | { ok: false; message: string };

/**
 * The command text the core parses: `args` as typed, or the typed options in CMD syntax
 * (switches first, so a message's text stays last).
 */
export function commandText(verb: DiscordVerb, o: OptionValues): BuiltText {
  const free = o.string('args');
  const typed = ['server', 'session', 'user', 'text', 'state'].some((n) => o.string(n) !== null) ||
    ['verbose', 'disc', 'all', 'force', 'wait'].some((n) => o.boolean(n) !== null) || o.integer('time') !== null;
  if (free !== null) {
    if (typed) return { ok: false, message: 'give either the options or args, not both' };
    return { ok: true, text: free };
  }
  const parts: string[] = [];
  if (o.boolean('verbose')) parts.push('/v');
  if (o.boolean('force')) parts.push('/f');
  if (o.boolean('disc')) parts.push('/disc');
  if (o.boolean('all')) parts.push('/all');
  if (o.boolean('wait')) parts.push('/w');
  const time = o.integer('time');
  if (time !== null) parts.push(`/time:${time}`);
  const state = o.string('state');
  if (state) parts.push(`/state:${state}`);
  const srv = o.string('server');
  // Always /server:, so a server is never mistaken for a user name.
  if (srv) parts.push(`/server:${srv}`);
  const target = o.string(verb === 'qwinsta' ? 'user' : 'session');
  if (target) parts.push(target);
  const text = o.string('text');
  if (text) parts.push(text);
  return { ok: true, text: parts.join(' ') };
}
