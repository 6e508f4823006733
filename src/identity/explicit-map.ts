import type { Caller } from '../core/caller.js';
import type { IdentityResolution, IdentityResolver } from '../core/ports/identity.js';
import type { IdentityConfig } from './config.js';

/** The access file's `identities:`: chat user ID → Windows account, per platform. */
export class ExplicitMapResolver implements IdentityResolver {
  constructor(private readonly map: IdentityConfig['map']) {}

  resolve(caller: Caller): Promise<IdentityResolution> {
    const account = this.map[caller.platform].get(caller.userId);
    return Promise.resolve(
      account
        ? { ok: true, account, source: 'the access file (identities)' }
        : { ok: false, kind: 'unknown', reason: `the access file's identities do not list ${caller.platform} user ${caller.userId}` },
    );
  }
}
