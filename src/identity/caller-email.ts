import type { Caller } from '../core/caller.js';
import type { IdentityHints, IdentityResolution } from '../core/ports/identity.js';

// One @, something on each side, no spaces, quotes, control characters or filter syntax tricks
// beyond what escaping handles; RFC 5321 caps an address at 254 characters.
const EMAIL = /^[^\s@"<>\x00-\x1f\x7f]+@[^\s@"<>\x00-\x1f\x7f]+\.[^\s@"<>\x00-\x1f\x7f]+$/;

/** What a resolver that works from email gets: the address, or the resolution to return instead. */
export type CallerEmail = { ok: true; email: string } | { ok: false; resolution: IdentityResolution };

/**
 * The caller's email from the adapter's hints. No email (Discord, the console) → 'unknown': the
 * chain asks the next resolver. A failed lookup or an address that is not one → 'refused'.
 */
export async function callerEmail(caller: Caller, hints: IdentityHints, who: string): Promise<CallerEmail> {
  if (!hints.email) return { ok: false, resolution: { ok: false, kind: 'unknown', reason: `${caller.platform} gives the bot no email address, so ${who} cannot tell` } };
  let email: string | undefined;
  try {
    email = (await hints.email())?.trim();
  } catch (e) {
    return { ok: false, resolution: { ok: false, kind: 'refused', reason: `could not get your email address from ${caller.platform}: ${e instanceof Error ? e.message : String(e)}` } };
  }
  if (!email) return { ok: false, resolution: { ok: false, kind: 'unknown', reason: `${caller.platform} has no email address for you, so ${who} cannot tell` } };
  if (email.length > 254 || !EMAIL.test(email)) {
    return { ok: false, resolution: { ok: false, kind: 'refused', reason: `your ${caller.platform} email "${email.slice(0, 80)}" is not a plain address ${who} can use` } };
  }
  return { ok: true, email };
}
