import type { Collected } from '../grammar/collect.js';
import type { Command, ParseContext } from '../grammar/command.js';
import { namesServer, needServer, serverAt, targetAt, unexpected, Usage } from '../grammar/positions.js';
import type { Token } from '../grammar/tokens.js';
import { shown, wordProblem } from '../grammar/words.js';
import type { VerbSpec } from './spec.js';
import { MAX_PROCESS_ID } from './switches.js';

/**
 * A program as Microsoft's qprocess takes it: its image name with `.exe` (`WINWORD.EXE`), no path.
 * A user literally named so is written with the domain (`CORP\app.exe`).
 */
const PROGRAM = /^[^\\/:*?"<>|]+\.exe$/i;

/** `/id:<nn>`: Microsoft's session ID; here, as a bare number, a process ID when no session has it. */
function idSwitch(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 0 && n <= MAX_PROCESS_ID)) {
    const program = PROGRAM.test(raw) ? `; a program is named without /id:, e.g. qprocess rds01 ${raw}` : '';
    throw new Usage(`${shown(`/id:${raw}`)} is not a number: /id: takes a session ID as qwinsta shows it, or a process ID from Task Manager's PID column, e.g. /id:3${program}`);
  }
  return n;
}

/**
 * `qprocess <server> <session | user | program.exe | *>`, `qprocess /server:<server> <…>`,
 * `qprocess <…>` on the default server. A number, bare or as Microsoft's `/id:<nn>`, is a session ID,
 * or the process ID of one process when the server has no such session (Microsoft's bare number).
 */
function parse(c: Collected, ctx: ParseContext): Command {
  const id = idSwitch(c.switches.get('id'));
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
  if (!targetTok && id === undefined) {
    throw new Usage(`whose programs on ${server}? e.g. ${q} ${server} 3, ${q} ${server} jdoe, ${q} ${server} winword.exe, or ${q} ${server} * for every session (${ctx.names.of('qwinsta')} ${server} lists the sessions)`);
  }
  if (targetTok && id !== undefined) {
    throw new Usage(`give one of ${shown(targetTok.text)} and /id:${id}, not both: /id: names a session (or a process) by its number`);
  }
  const cmd: Command = { kind: 'processes', verb: 'qprocess', server, system };
  if (id !== undefined) {
    cmd.target = { kind: 'id', id };
  } else if (targetTok && PROGRAM.test(targetTok.text)) {
    const problem = wordProblem(targetTok.text);
    if (problem) throw new Usage(problem);
    cmd.image = targetTok.text;
  } else if (targetTok) {
    cmd.target = targetAt(targetTok, { allowEvery: true });
  }
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
    { form: 'qprocess <server> <program.exe> [/system]', says: 'every process of one program, in any session' },
    { form: 'qprocess <server> /id:<nn>', says: 'session nn (as Microsoft\'s /id:), or the process with that PID when no session has it' },
  ],
  details:
    "Lists processes as Microsoft's qprocess does: USERNAME SESSIONNAME ID PID IMAGE, plus each one's working set " +
    "(the memory it uses). The users' own programs are shown; /system adds those Windows runs under its own accounts " +
    "(SYSTEM, LOCAL SERVICE, NETWORK SERVICE, the window manager and font driver). Seeing another user's programs needs " +
    "the bot's Windows account to be a local administrator on that server. A number, bare or as /id:, is a session ID " +
    "(as in every other command, and as Microsoft's /id:); when the server has no such session it is the process ID of one " +
    "process, whoever runs it (Microsoft's bare number). A program is named with .exe, as Microsoft's qprocess takes it.",
  action: 'query',
  chat: {
    slash: '/qprocess',
    hint: 'rds01 3  ·  rds01 jdoe  ·  rds01 winword.exe  ·  rds01 * /system',
    target: { option: 'session', description: 'Session ID, session name, user, program.exe, or * for every session' },
  },
  parse,
};
