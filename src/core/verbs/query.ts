import type { SessionState } from '../../wts/session.js';
import type { Collected } from '../grammar/collect.js';
import type { Command, Layout, ParseContext, SettingsSwitch, Target, UserTarget, Verb } from '../grammar/command.js';
import { ageFilterOf } from '../grammar/durations.js';
import { namesServer, needServer, serverAt, targetAt, unexpected, Usage } from '../grammar/positions.js';
import { isMe, parseSelf } from '../grammar/self.js';
import type { Token } from '../grammar/tokens.js';
import { shown } from '../grammar/words.js';
import { stateNamed, STATE_COUNT } from './switches.js';

function parseState(raw: string | undefined): SessionState | undefined {
  if (raw === undefined) return undefined;
  const state = stateNamed(raw);
  if (!state) throw new Usage(`unknown state ${shown(raw)}; use one of active, disc, conn, idle, listen, down (${STATE_COUNT} states in all)`);
  return state;
}

const SETTINGS_SWITCHES: readonly SettingsSwitch[] = ['mode', 'flow', 'connect', 'vm'];

/** A session name or an ID needs a server; a user alone is searched for on every server. */
function isSessionOnly(t: Target): boolean {
  if (t.kind === 'name') return t.name.includes('#') || t.name.toLowerCase() === 'console';
  return t.kind === 'id' || t.kind === 'ids' || t.kind === 'every';
}

/** qwinsta and quser read their words alike; only the layout of the answer differs. */
export function parseQuery(verb: Verb, layout: Layout): (c: Collected, ctx: ParseContext) => Command {
  return (c, ctx) => {
    if (c.positionals.some(isMe)) return parseSelf(verb, 'query', layout, c, ctx);
    const verbose = c.switches.has('v');
    const fresh = c.switches.has('fresh');
    const state = parseState(c.switches.get('state'));
    const age = ageFilterOf(c.switches);
    const p = c.positionals;
    const explicit = c.switches.get('server');
    // qwinsta's display switches (quser takes none: collect refuses them).
    const counters = c.switches.has('counter');
    const settings = SETTINGS_SWITCHES.filter((s) => c.switches.has(s));
    const list = (server: string, filter?: Target): Command => {
      const cmd: Command = { kind: 'list', verb, layout, server, verbose };
      if (counters) cmd.counters = true;
      if (settings.length > 0) cmd.settings = settings;
      if (filter) cmd.filter = filter;
      if (state) cmd.state = state;
      if (age) cmd.age = age;
      return cmd;
    };
    const find = (user: UserTarget | undefined, group?: string): Command => {
      const cmd: Command = { kind: 'find', verb, layout, verbose, fresh };
      if (counters) cmd.counters = true;
      if (settings.length > 0) cmd.settings = settings;
      if (user) cmd.user = user;
      if (group) cmd.group = group;
      if (state) cmd.state = state;
      if (age) cmd.age = age;
      return cmd;
    };
    const first = p[0];
    if (explicit === undefined && first && !first.quoted && first.text.startsWith('@')) {
      const group = first.text.slice(1);
      if (!ctx.groups.includes(group)) throw new Usage(`no server group "${group}" (groups: ${ctx.groups.join(', ') || 'none in the access file'})`);
      if (p.length > 2) unexpected(p[2]);
      const t = p[1] ? targetAt(p[1]) : undefined;
      if (t && t.kind !== 'user' && t.kind !== 'name') throw new Usage(`across a group, name a user (e.g. ${ctx.names.of(verb)} @${group} jdoe); session IDs differ from server to server`);
      return find(t, group);
    }
    if (explicit !== undefined) {
      if (p.length > 1) unexpected(p[1]);
      return list(serverAt(explicit, ctx), p[0] ? targetAt(p[0]) : undefined);
    }
    if (p.length > 2) unexpected(p[2]);
    if (p.length === 2) return list(serverAt((p[0] as Token).text, ctx), targetAt(p[1] as Token));
    const only = p[0];
    if (!only) {
      if (ctx.defaultServer) return list(ctx.defaultServer);
      throw new Usage(`which server? Try ${ctx.names.of(verb)} rds01, or ${ctx.names.of(verb)} <user> to search every server you may see`);
    }
    if (namesServer(only, ctx)) return list(serverAt(only.text, ctx));
    const t = targetAt(only);
    if ((t.kind === 'user' || t.kind === 'name') && !isSessionOnly(t)) return find(t);
    if (!ctx.defaultServer) needServer(verb, only.text, ctx);
    return list(ctx.defaultServer, t);
  };
}
