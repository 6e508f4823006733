import { WIN32, isServerGone } from '../errors.js';
import { sidToString } from '../sid.js';
import type { WtsApi } from './library.js';

/** The first `chars` UTF-16 characters of `b`, up to a NUL. */
function wide(b: Buffer, chars: number): string {
  const text = b.toString('utf16le', 0, Math.min(b.length, chars * 2));
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

export interface AccountName {
  user: string;
  domain: string;
}

/** Entries kept per thread; the oldest goes first. A farm's processes run as a few hundred accounts. */
const CACHE_LIMIT = 4096;
/** A name may be renamed or a deleted account's SID reused: forget after a day. */
const CACHE_MS = 24 * 60 * 60_000;

/**
 * SIDs to account names with advapi32's LookupAccountSidW, asked of the server the processes run on
 * (its local accounts are only known there), cached per (server, SID). A SID without a name (1332)
 * is cached as such; other failures are not, and are retried on the next listing.
 */
export class AccountNames {
  private readonly cache = new Map<string, { name: AccountName | undefined; at: number }>();

  constructor(
    private readonly api: WtsApi,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Names for `sids` on `server`. Once a lookup fails because the server is gone, the rest are left
   * unnamed: each would wait for RPC to give up again.
   */
  resolve(server: string, sids: Iterable<Uint8Array>): Map<string, AccountName | undefined> {
    const names = new Map<string, AccountName | undefined>();
    let gone = false;
    for (const bytes of sids) {
      const text = sidToString(bytes);
      if (!text || names.has(text)) continue;
      const key = `${server.toLowerCase()}|${text}`;
      const hit = this.cache.get(key);
      if (hit && this.now() - hit.at < CACHE_MS) {
        this.cache.delete(key);
        this.cache.set(key, hit);
        names.set(text, hit.name);
        continue;
      }
      if (gone) {
        names.set(text, undefined);
        continue;
      }
      const found = this.lookup(server, bytes);
      if (found.ok || found.code === WIN32.NONE_MAPPED) this.remember(key, found.ok ? found.name : undefined);
      else if (isServerGone(found.code)) gone = true;
      names.set(text, found.ok ? found.name : undefined);
    }
    return names;
  }

  private remember(key: string, name: AccountName | undefined): void {
    this.cache.delete(key);
    this.cache.set(key, { name, at: this.now() });
    while (this.cache.size > CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }

  /** Two calls: the first with empty buffers learns their sizes (122), the second fills them. */
  private lookup(server: string, sid: Uint8Array): { ok: true; name: AccountName } | { ok: false; code: number } {
    const fn = this.api.LookupAccountSidW;
    if (!fn) return { ok: false, code: WIN32.MOD_NOT_FOUND };
    const system = server === '' ? null : server;
    const sidBuffer = Buffer.from(sid);
    const nameChars: [number] = [0];
    const domainChars: [number] = [0];
    const use: [number] = [0];
    if (fn(system, sidBuffer, null, nameChars, null, domainChars, use)) return { ok: true, name: { user: '', domain: '' } };
    let code = this.api.GetLastError();
    for (let attempt = 0; attempt < 2 && code === WIN32.INSUFFICIENT_BUFFER; attempt++) {
      const name = Buffer.alloc(Math.max(1, nameChars[0]) * 2);
      const domain = Buffer.alloc(Math.max(1, domainChars[0]) * 2);
      nameChars[0] = name.length / 2;
      domainChars[0] = domain.length / 2;
        if (fn(system, sidBuffer, name, nameChars, domain, domainChars, use)) {
        // On success the counts are the lengths without the terminating NUL.
        return { ok: true, name: { user: wide(name, nameChars[0]), domain: wide(domain, domainChars[0]) } };
      }
      code = this.api.GetLastError();
    }
    return { ok: false, code: code || WIN32.INVALID_FUNCTION };
  }
}
