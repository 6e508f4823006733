import type { Caller } from '../core/caller.js';
import type { IdentityHints, IdentityResolution, IdentityResolver } from '../core/ports/identity.js';
import { callerEmail } from './caller-email.js';
import type { EmailRuleConfig } from './config.js';
import { loginProblem } from './windows-account.js';

/**
 * The weaker rule: jdoe@corp.example.com is CORP\jdoe. It trusts the chat platform's email, so
 * anyone who can set theirs to someone else's address in a listed domain can claim that login;
 * it applies only to the configured email domains, and only when the access file turns it on.
 */
export class EmailRuleResolver implements IdentityResolver {
  constructor(private readonly config: EmailRuleConfig) {}

  async resolve(caller: Caller, hints: IdentityHints): Promise<IdentityResolution> {
    const got = await callerEmail(caller, hints, 'the email rule');
    if (!got.ok) return got.resolution;
    const at = got.email.lastIndexOf('@');
    const local = got.email.slice(0, at);
    const domain = got.email.slice(at + 1).toLowerCase();
    if (!this.config.emailDomains.includes(domain)) {
      return { ok: false, kind: 'unknown', reason: `the email rule covers ${this.config.emailDomains.join(', ')}, not ${domain}` };
    }
    const problem = loginProblem(local);
    if (problem) return { ok: false, kind: 'refused', reason: `the email rule would make "${local}" your login, but ${problem}` };
    return { ok: true, account: { domain: this.config.domain, user: local }, source: `the email rule (${got.email})` };
  }
}
