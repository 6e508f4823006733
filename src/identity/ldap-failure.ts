import { InvalidCredentialsError, NoSuchObjectError } from 'ldapts';
import type { LdapConfig } from './config.js';

/** Where a lookup was when it failed: the sentence says what an admin should check for that step. */
export type LdapStep = 'connect' | 'startTLS' | 'bind' | 'search';

/** The whole lookup took longer than its budget (a StartTLS handshake has no timeout of its own). */
export class LdapDeadlineError extends Error {
  override readonly name = 'LdapDeadlineError';
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

/** One line, short, from whatever was thrown (ldapts puts the socket error on a second line). */
export function errorDetail(e: unknown): string {
  const text = e instanceof Error ? e.message || e.name : String(e);
  return text.replace(/\s*\n\s*/g, ': ').slice(0, 200);
}

function isTlsError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_|^ERR_TLS|^ERR_SSL|EPROTO/.test(code);
}

function isTimeout(e: unknown): boolean {
  return e instanceof LdapDeadlineError || /timed? ?out/i.test(errorDetail(e));
}

export interface LdapFailure {
  /** For the caller: what went wrong and what an admin should check; no secret, no DN. */
  reason: string;
  /** The bind was refused for bad credentials (the resolver then waits before binding again). */
  badCredentials: boolean;
}

/** Turns an error met at `step` into a sentence; never includes the bind password, which no error carries. */
export function describeLdapFailure(e: unknown, step: LdapStep, config: LdapConfig): LdapFailure {
  const where = `the directory ${config.url}`;
  const code = (e as { code?: unknown }).code;
  const detail = errorDetail(e);
  const failure = (reason: string): LdapFailure => ({ reason, badCredentials: false });
  if (e instanceof InvalidCredentialsError) {
    return { reason: `${where} rejected the bot's service account (invalid credentials): an admin should check RWINSTA_LDAP_BIND_DN and RWINSTA_LDAP_BIND_PASSWORD`, badCredentials: true };
  }
  if (isTlsError(e)) {
    return failure(`the TLS connection to ${config.url} failed (${detail}): an admin should check identity.ldap.caFile (the CA that signed the directory's certificate) and that the certificate names the host in identity.ldap.url`);
  }
  if (isTimeout(e)) {
    const seconds = (config.connectTimeoutMs + config.timeoutMs) / 1000;
    return failure(`${where} did not answer in time (${step}, within ${seconds} s): an admin should check that it is up and that this host reaches it (identity.ldap.url)`);
  }
  if ((typeof code === 'string' && UNREACHABLE.has(code)) || step === 'connect' || /^Socket error/.test(detail)) {
    return failure(`${where} cannot be reached (${detail}): an admin should check identity.ldap.url and that this host reaches it`);
  }
  if (step === 'startTLS') return failure(`${where} did not accept StartTLS (${detail}): an admin should check identity.ldap.startTLS, or use ldaps://`);
  if (step === 'bind') return failure(`${where} refused the bot's bind (${detail}): an admin should check RWINSTA_LDAP_BIND_DN and RWINSTA_LDAP_BIND_PASSWORD`);
  if (e instanceof NoSuchObjectError) return failure(`${where} has no entry ${config.baseDN}: an admin should check identity.ldap.baseDN`);
  return failure(`the search in ${where} failed (${detail}): an admin should check identity.ldap.baseDN, filter and emailAttributes, and what the bot's service account may read`);
}
