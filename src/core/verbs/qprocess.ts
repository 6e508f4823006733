import type { Collected } from '../grammar/collect.js';
import type { Command, ParseContext, Target } from '../grammar/command.js';
import { namesServer, needServer, serverAt, targetAt, unexpected, Usage } from '../grammar/positions.js';
import type { Token } from '../grammar/tokens.js';
import { shown } from '../grammar/words.js';
import type { VerbSpec } from './spec.js';
import { MAX_PROCESS_ID } from './switches.js';

function processId(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 0 && n <= MAX_PROCESS_ID)) throw new Usage(`${shown(`/id:${raw}`)} is not a process ID: give the number in Task Manager's PID column, e.g. /id:6012`);
  return n;
}

/**
 * `qprocess <server> <session | user | *>`, `qprocess /server:<server> <…>`, `qprocess <…>` on the
 * default server; `/id:<pid>` names one process instead of (or within) the sessions.
 */
function parse(c: Collected, ctx: ParseContext): Command {
  const pid = processId(c.switches.get('id'));
  const system = c.switches.has('system');
  const p = c.positionals;
  const explicit = c.switches.get('server');
  let server: string | undefined;
  let targetTok: Token | undefined;
  if (explicit !== undefined) {
    if (p.length > 1) unexpected(p[1]);
    server = serverAt(explicit, ctx);
    targetTok = p[0];
  } else if (p.length > 2) {
    unexpected(p[2]);
  } else if (p.length === 2) {
    server = serverAt((p[0] as Token).text, ctx);
    targetTok = p[1];
  } else if (p[0] && namesServer(p[0], ctx)) {
    server = serverAt(p[0].text, ctx);
  } else {
    targetTok = p[0];
    if (!ctx.defaultServer) needServer('qprocess', targetTok?.text ?? '3', ctx);
    server = ctx.defaultServer;
  }
  const q = ctx.names.of('qprocess');
  if (!targetTok && pid === undefined) {
    throw new Usage(`whose programs on ${server}? e.g. ${q} ${server} 3, ${q} ${server} jdoe, or ${q} ${server} * for every session (${ctx.names.of('qwinsta')} ${server} lists the sessions)`);
  }
  const cmd: Command = { kind: 'processes', verb: 'qprocess', server, system };
  const target: Target | undefined = targetTok ? targetAt(targetTok, { allowEvery: true }) : undefined;
  if (target) cmd.target = target;
  if (pid !== undefined) cmd.pid = pid;
  return cmd;
}

export const QPROCESS: VerbSpec = {
  verb: 'qprocess',
  names: ['qprocess', 'query process'],
  summary: 'List the programs (processes) running in Remote Desktop sessions',
  switches: ['server', 'system', 'id', '?'],
  takesText: false,
  usage: [
    { form: 'qprocess <server> <session | user | *> [/system]', says: 'the programs running in a session, or in every session with *' },
    { form: 'qprocess /server:<server> <session | user | *> [/system]', says: "the same, in Microsoft's order" },
    { form: 'qprocess <server> /id:<pid>', says: 'one process, by its process ID' },
  ],
  details:
    "Lists processes as Microsoft's qprocess does: USERNAME SESSIONNAME ID PID IMAGE, plus each one's working set " +
    "(the memory it uses). The users' own programs are shown; /system adds those Windows runs under its own accounts " +
    "(SYSTEM, LOCAL SERVICE, NETWORK SERVICE, the window manager and font driver). Seeing another user's programs needs " +
    "the bot's Windows account to be a local administrator on that server. Unlike Microsoft's, a number is a session ID here, as " +
    'in every other command: /id: takes a process ID.',
  action: 'query',
  chat: {
    slash: '/qprocess',
    hint: 'rds01 3  ·  rds01 jdoe  ·  rds01 * /system',
    target: { option: 'session', description: 'Session ID, session name, user, or * for every session' },
  },
  parse,
};
