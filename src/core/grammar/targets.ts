import type { Target } from './command.js';

export const MAX_SESSION_ID = 0xfffffffe; // 0xFFFFFFFF is WTS_CURRENT_SESSION, local only
export const MAX_IDS_IN_LIST = 100;

const ID = /^\d{1,10}$/;
const ID_LIST = /^\d{1,10}(?:,\d{1,10})+$/;
// sAMAccountName rules (letters of any script), plus '*' and '?' for wildcards; '@' allows a UPN-looking name.
const USER = /^[\p{L}\p{N}_*?][^\s"/\\[\]:;|=,+<>]{0,103}$/u;
const DOMAIN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,62}$/u;
const SESSION_NAME = /^[A-Za-z0-9][A-Za-z0-9#._-]{0,63}$/;

export type TargetParse = { ok: true; target: Target } | { ok: false; message: string };

function parseId(text: string): number | undefined {
  const n = Number(text);
  return Number.isSafeInteger(n) && n <= MAX_SESSION_ID ? n : undefined;
}

/** True when the word can only be a session target, never a server name. */
export function looksLikeTargetOnly(text: string): boolean {
  return ID.test(text) || ID_LIST.test(text) || text === '*' || text.includes('#') || text.includes('\\')
    || text.includes('*') || text.includes('?') || text.toLowerCase() === 'console';
}

export function parseTarget(text: string, opts: { allowEvery: boolean }): TargetParse {
  const shown = `"${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`;
  if (ID.test(text)) {
    const id = parseId(text);
    if (id === undefined) return { ok: false, message: `${shown} is not a session ID (IDs go up to ${MAX_SESSION_ID})` };
    return { ok: true, target: { kind: 'id', id } };
  }
  if (ID_LIST.test(text)) {
    const parts = text.split(',');
    if (parts.length > MAX_IDS_IN_LIST) {
      return { ok: false, message: `${parts.length} session IDs in one command; the limit is ${MAX_IDS_IN_LIST}` };
    }
    const ids: number[] = [];
    for (const p of parts) {
      const id = parseId(p);
      if (id === undefined) return { ok: false, message: `"${p}" is not a session ID (IDs go up to ${MAX_SESSION_ID})` };
      if (!ids.includes(id)) ids.push(id);
    }
    return { ok: true, target: ids.length === 1 ? { kind: 'id', id: ids[0] as number } : { kind: 'ids', ids } };
  }
  if (text === '*') {
    if (opts.allowEvery) return { ok: true, target: { kind: 'every' } };
    return { ok: false, message: '"*" is only for msg; to log off every session use /all' };
  }
  if (/^\d[\d,]*$/.test(text)) {
    return { ok: false, message: `${shown} is not a session ID or a list of IDs like 1,2,3` };
  }
  const slash = text.indexOf('\\');
  if (slash >= 0) {
    const domain = text.slice(0, slash);
    const user = text.slice(slash + 1);
    if (!DOMAIN.test(domain) || !USER.test(user)) {
      return { ok: false, message: `${shown} is not a user name; write DOMAIN\\user, e.g. CORP\\jdoe` };
    }
    return { ok: true, target: { kind: 'user', user, domain } };
  }
  if (text.includes('*') || text.includes('?')) {
    if (!USER.test(text)) return { ok: false, message: `${shown} is not a user name pattern; e.g. j* or *doe` };
    return { ok: true, target: { kind: 'user', user: text } };
  }
  if (SESSION_NAME.test(text) || USER.test(text)) return { ok: true, target: { kind: 'name', name: text } };
  return {
    ok: false,
    message: `${shown} is not a session ID, session name (RDP-Tcp#7, console) or user name (jdoe, CORP\\jdoe)`,
  };
}

export function describeTarget(t: Target): string {
  switch (t.kind) {
    case 'id':
      return `session ${t.id}`;
    case 'ids':
      return `sessions ${t.ids.join(', ')}`;
    case 'every':
      return 'every user session';
    case 'name':
      return `"${t.name}"`;
    case 'user':
      return t.domain ? `${t.domain}\\${t.user}` : t.user;
  }
}
