import type { Collected } from '../grammar/collect.js';
import type { Command, ParseContext } from '../grammar/command.js';
import { couldBeServer, namesServer, needServer, serverAt, targetAt, Usage } from '../grammar/positions.js';
import { looksLikeTargetOnly } from '../grammar/targets.js';
import { shown } from '../grammar/words.js';
import { DEFAULT_MESSAGE_SECONDS, MAX_MESSAGE_SECONDS } from './switches.js';
import { actingSwitches } from './acting-switches.js';
import type { VerbSpec } from './spec.js';

export const MAX_MESSAGE_LENGTH = 1000;

function seconds(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_MESSAGE_SECONDS;
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_MESSAGE_SECONDS)) {
    throw new Usage(`/time:${raw} is not a whole number of seconds from 1 to ${MAX_MESSAGE_SECONDS} (the default is ${DEFAULT_MESSAGE_SECONDS})`);
  }
  return n;
}

/**
 * `msg {user | session | ID | *} [/server:S] [/time:N] [/v] [/w] [text]` as Microsoft's msg, and
 * `msg <server> <target> … text`. The collector has already cut the text after the target.
 */
function parse(c: Collected, ctx: ParseContext): Command {
  const sw = c.switches;
  const timeSeconds = seconds(sw.get('time'));
  const p = c.positionals;
  const explicit = sw.get('server');
  let server: string | undefined;
  let targetTok = p[0];
  if (explicit !== undefined) {
    server = serverAt(explicit, ctx);
  } else if (p.length >= 2) {
    server = serverAt((p[0] as NonNullable<typeof targetTok>).text, ctx);
    targetTok = p[1];
  } else if (targetTok && namesServer(targetTok, ctx)) {
    const named = serverAt(targetTok.text, ctx);
    throw new Usage(`whom to on ${named}? e.g. ${ctx.names.of('msg')} ${named} 3 Please save your work (${ctx.names.of('qwinsta')} ${named} lists the sessions)`);
  }
  if (!targetTok) throw new Usage(`whom to? e.g. ${ctx.names.of('msg')} jdoe /server:rds01 Please save your work`);
  if (!targetTok.quoted && targetTok.text.startsWith('@')) {
    throw new Usage(
      `${shown(targetTok.text)}: Microsoft's msg @<file> reads the names from a file on the computer running msg, which a chat command has not got; ` +
        `name a session or user (${ctx.names.of('msg')} jdoe /server:rds01 <text>), or * for every user session`,
    );
  }
  const target = targetAt(targetTok, { allowEvery: true });
  const text = c.text ?? '';
  if (!server) {
    if (!ctx.defaultServer) {
      // `msg rds99 3 hi`: a word shaped like a server before a session ID was meant as one.
      const next = text.split(/\s+/)[0] ?? '';
      if (couldBeServer(targetTok) && looksLikeTargetOnly(next)) {
        const named = serverAt(targetTok.text, ctx);
        throw new Usage(`which server? No default server is configured; if ${named} is a server, say ${ctx.names.of('msg')} /server:${named} ${next} <text>`);
      }
      needServer('msg', `${targetTok.text} <text>`, ctx);
    }
    server = ctx.defaultServer;
  }
  if (text.trim() === '') throw new Usage(`no message text: put it after the session, e.g. ${ctx.names.of('msg')} ${targetTok.text} /server:${server} "Please save your work"`);
  if (text.length > MAX_MESSAGE_LENGTH) throw new Usage(`the message is ${text.length} characters; the limit is ${MAX_MESSAGE_LENGTH}`);
  return { kind: 'message', verb: 'msg', server, target, text, timeSeconds, wait: sw.has('w'), ...actingSwitches(c) };
}

export const MSG: VerbSpec = {
  verb: 'msg',
  names: ['msg'],
  summary: 'Show a message box in Remote Desktop sessions',
  switches: ['server', 'v', 'time', 'w', 'f', 'reason', '?'],
  takesText: true,
  usage: [
    { form: 'msg <server> <session | user | *> [/time:<seconds>] [/w] [/v] <text>', says: 'show a message box' },
    { form: 'msg <session | user | *> /server:<server> [/time:<seconds>] [/w] [/v] <text>', says: "the same, in Microsoft's order" },
    { form: 'msg <server> <session> /reason:"<text>" <text>', says: 'why, or the ticket (where the access file asks for one)' },
  ],
  details:
    'Shows a message box in a session, or in every user session with *. Switches go between the session and the text, ' +
    `in any order; the first other word starts the text, and everything after it is text. /time:<seconds> closes the box ` +
    `after that long (default ${DEFAULT_MESSAGE_SECONDS}, as Microsoft's msg); /w waits until the user presses OK and says so. ` +
    'Sending to several sessions asks to confirm first.',
  action: 'message',
  acting: {
    action: 'message',
    label: 'Send the message to',
    done: 'Sent the message to',
    never: 'sent messages',
    consequence: (plan) => `Message: "${plan.message?.text ?? ''}"`,
    confirm: (plan) => plan.scope !== undefined || plan.sessions.length > 1,
  },
  chat: {
    slash: '/msg',
    slackSlash: '/rdmsg',
    hint: 'rds01 3 Please save your work',
    target: { option: 'session', description: 'Session ID, name, user, or * for every session' },
    text: { description: 'The message', maxLength: MAX_MESSAGE_LENGTH },
  },
  parse,
};
