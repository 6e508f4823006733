/**
 * Server names are checked before anything reaches a backend: a NetBIOS or DNS host name (or an
 * IPv4 address), ASCII letters, digits, '-' and '.', never a UNC path, a path or a quoted string.
 */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
export const MAX_SERVER_NAME_LENGTH = 253;

export type ServerNameCheck = { ok: true; name: string } | { ok: false; message: string };

export function checkServerName(raw: string): ServerNameCheck {
  const shown = `"${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}"`;
  const advice = 'use letters, digits, "-" and "." only, e.g. rds01 or rds01.corp.example.com';
  if (raw.length === 0) return { ok: false, message: `the server name is empty; ${advice}` };
  if (raw.startsWith('\\\\') || raw.startsWith('//')) {
    return { ok: false, message: `${shown} is a UNC path, not a server name; drop the leading backslashes and any share (${advice})` };
  }
  // A fully qualified name may end in the root's dot, which DNS does not count in the 253.
  const name = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (name.length > MAX_SERVER_NAME_LENGTH) {
    return { ok: false, message: `${shown} is longer than ${MAX_SERVER_NAME_LENGTH} characters, so it is not a host name` };
  }
  const labels = name.split('.');
  if (labels.some((l) => !LABEL.test(l))) {
    return { ok: false, message: `${shown} is not a valid server name: ${advice}` };
  }
  return { ok: true, name: name.toLowerCase() };
}

export function isValidServerName(raw: string): boolean {
  return checkServerName(raw).ok;
}
