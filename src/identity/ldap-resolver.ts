import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client, type Entry } from 'ldapts';
import type { Caller } from '../core/caller.js';
import type { IdentityHints, IdentityResolution, IdentityResolver } from '../core/ports/identity.js';
import { callerEmail } from './caller-email.js';
import type { LdapConfig } from './config.js';
import { describeLdapFailure, LdapDeadlineError, type LdapStep } from './ldap-failure.js';
import { emailSearchFilter } from './ldap-filter.js';
import { loginProblem } from './windows-account.js';

/** The service account the bot binds as: a DN or a UPN (svc-rwinsta@corp.example.com), from the environment. */
export interface LdapCredentials {
  bindDN: string;
  password: string;
}

export interface IdentityLog {
  warn(message: string): void;
}

export interface LdapResolverOptions {
  config: LdapConfig;
  credentials: LdapCredentials;
  /** PEM of the CA that signed the directory's certificate (the content of identity.ldap.caFile). */
  ca?: string | Buffer;
  log: IdentityLog;
  now?: () => number;
  /** After the directory rejects the service account's password, how long to refuse without binding again. */
  bindBackoffMs?: number;
}

/** Enough to tell one entry from several; a filter that matches half the directory stops here. */
const SIZE_LIMIT = 10;

function tlsOptions(config: LdapConfig, ca: string | Buffer | undefined): ConnectionOptions {
  const host = new URL(config.url).hostname.replace(/^\[|\]$/g, '');
  const options: ConnectionOptions = { host, rejectUnauthorized: true, minVersion: 'TLSv1.2' };
  if (!isIP(host)) options.servername = host;
  if (ca) options.ca = [ca];
  return options;
}

/** The single value of an attribute, whatever case the directory spells its name in. */
function attributeValue(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const raw = key === undefined ? [] : entry[key];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

/**
 * Active Directory (or any LDAP directory): the caller's email → the one entry that carries it →
 * its login attribute, with the configured NetBIOS domain. One short connection per lookup
 * (ldaps:// or StartTLS, bound as the service account), under a time budget; anything but exactly
 * one entry is a refusal that says what an admin should check.
 */
export class LdapResolver implements IdentityResolver {
  private readonly now: () => number;
  private bindRefusedUntil = 0;
  private lastBindFailure = '';

  constructor(private readonly options: LdapResolverOptions) {
    this.now = options.now ?? Date.now;
  }

  async resolve(caller: Caller, hints: IdentityHints): Promise<IdentityResolution> {
    const got = await callerEmail(caller, hints, 'the directory');
    if (!got.ok) return got.resolution;
    if (this.now() < this.bindRefusedUntil) {
      // A wrong password retried for every request would lock the service account out.
      return { ok: false, kind: 'refused', reason: `${this.lastBindFailure} (not retried for ${Math.ceil((this.bindRefusedUntil - this.now()) / 1000)} s)` };
    }
    const { config } = this.options;
    const client = new Client({
      url: config.url,
      connectTimeout: config.connectTimeoutMs,
      timeout: config.timeoutMs,
      strictDN: false,
      ...(config.tls === 'ldaps' ? { tlsOptions: tlsOptions(config, this.options.ca) } : {}),
    });
    const step: { now: LdapStep } = { now: 'connect' };
    let timer: NodeJS.Timeout | undefined;
    const budget = config.connectTimeoutMs + config.timeoutMs;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LdapDeadlineError(`no answer within ${budget / 1000} s`)), budget);
    });
    try {
      const entries = await Promise.race([this.search(client, got.email, step), deadline]);
      this.bindRefusedUntil = 0;
      return this.accountFrom(entries, got.email);
    } catch (e) {
      const failure = describeLdapFailure(e, step.now, config);
      if (failure.badCredentials) {
        this.lastBindFailure = failure.reason;
        this.bindRefusedUntil = this.now() + (this.options.bindBackoffMs ?? 60_000);
      }
      this.options.log.warn(`identity: LDAP lookup of ${got.email} for ${caller.platform} user ${caller.userId} failed at ${step.now}: ${failure.reason}`);
      return { ok: false, kind: 'refused', reason: failure.reason };
    } finally {
      clearTimeout(timer);
      client.unbind().catch(() => undefined);
    }
  }

  private async search(client: Client, email: string, step: { now: LdapStep }): Promise<Entry[]> {
    const { config, credentials, ca } = this.options;
    if (config.tls === 'startTLS') {
      step.now = 'startTLS';
      await client.startTLS(tlsOptions(config, ca));
    }
    step.now = 'bind';
    await client.bind(credentials.bindDN, credentials.password);
    step.now = 'search';
    const { searchEntries } = await client.search(config.baseDN, {
      scope: 'sub',
      filter: emailSearchFilter(config.objectFilter, config.emailAttributes, email),
      attributes: [config.loginAttribute],
      sizeLimit: SIZE_LIMIT,
      timeLimit: Math.ceil(config.timeoutMs / 1000),
      derefAliases: 'never',
    });
    return searchEntries;
  }

  private accountFrom(entries: readonly Entry[], email: string): IdentityResolution {
    const { config, log } = this.options;
    const attr = config.loginAttribute;
    if (entries.length === 0) {
      return {
        ok: false,
        kind: 'refused',
        reason: `the directory has no account with the email ${email} (searched ${config.emailAttributes.join(', ')}): an admin should check your account there (enabled? this email on it?), or map you in the access file's identities`,
      };
    }
    if (entries.length > 1) {
      log.warn(`identity: ${entries.length} directory entries carry ${email}: ${entries.map((e) => e.dn).join('; ')}`);
      const count = entries.length >= SIZE_LIMIT ? `${SIZE_LIMIT} or more` : String(entries.length);
      return { ok: false, kind: 'refused', reason: `${count} directory accounts have the email ${email}: an admin must leave it on one account only, or map you in the access file's identities` };
    }
    const entry = entries[0] as Entry;
    const values = attributeValue(entry, attr);
    const login = values[0];
    if (values.length !== 1 || login === undefined) {
      log.warn(`identity: directory entry ${entry.dn} has ${values.length} values of ${attr}`);
      return { ok: false, kind: 'refused', reason: `your directory account has ${values.length === 0 ? 'no' : 'several values of'} ${attr}: an admin should check identity.ldap.loginAttribute` };
    }
    const problem = loginProblem(login);
    if (problem) return { ok: false, kind: 'refused', reason: `your directory account's ${attr} "${login.slice(0, 40)}" is not a Windows login (${problem}): an admin should check identity.ldap.loginAttribute` };
    return { ok: true, account: { domain: config.domain, user: login }, source: `the directory (${email})` };
  }
}
