import { isUserSession, type Session } from '../wts/session.js';
import { targetsOf, type AuditFields, type AuditTrail } from './audit-trail.js';
import type { ConfirmationFlow } from './confirmation-flow.js';
import type { ServerDirectory } from './directory.js';
import type { SelfCommand } from './grammar/command.js';
import type { Plan } from './plan.js';
import type { IdentityHints, IdentityResolver, WindowsAccount } from './ports/identity.js';
import type { ReplyFactory } from './replies.js';
import type { RequestContext } from './request.js';
import type { Reply, Section, ServerFailure } from './results.js';
import type { FanOut } from './fanout.js';
import type { SessionIndex } from './session-index.js';
import type { UseCaseContext } from './usecases/context.js';

export interface SelfServiceDeps {
  ctx: UseCaseContext;
  directory: ServerDirectory;
  trail: AuditTrail;
  replies: ReplyFactory;
  flow: ConfirmationFlow;
  fanout: FanOut;
  index: SessionIndex;
  identity?: IdentityResolver;
}

function account(a: WindowsAccount): string {
  return `${a.domain}\\${a.user}`;
}

/**
 * Self-service: `qwinsta me`, `rwinsta me`, `tsdiscon me`. The caller's Windows account is resolved
 * (fail closed), and only the sessions of that account, on the servers self-service covers, are
 * ever listed or acted on; every other session is invisible. Acting always asks to confirm, one
 * session at a time, and the usual re-check before acting applies (the session must still be theirs).
 */
export class SelfServiceFlow {
  constructor(private readonly d: SelfServiceDeps) {}

  async handle(rc: RequestContext, cmd: SelfCommand, hints: IdentityHints): Promise<Reply> {
    const who = await this.resolve(rc, cmd, hints);
    if ('reply' in who) return who.reply;
    const me = account(who.account);
    const servers = cmd.server ? [cmd.server] : this.d.directory.selfServiceServers();
    const base: AuditFields = { decision: 'allowed', action: cmd.action, selfService: true, account: me };
    if (cmd.server) base.server = cmd.server;
    if (servers.length === 0) {
      const reason = 'self-service covers no server this bot knows by name (selfService → servers in the access file)';
      await this.d.trail.note(rc, { ...base, decision: 'denied', detail: reason, outcome: 'not-performed' });
      return this.d.replies.selfServiceDenied(rc.requestId, reason);
    }
    const { mine, failures } = await this.sessionsOf(who.account, servers, cmd.id, cmd.action === 'query');
    const where = cmd.server ?? `the ${servers.length} server${servers.length === 1 ? '' : 's'} self-service covers`;
    const errors: Section[] = failures.length ? [{ kind: 'server-errors', errors: failures }] : [];
    if (cmd.action === 'query') {
      const summary = mine.length === 0 ? `No session of yours (${me}) on ${where}.` : `Your sessions (${me}): ${mine.length} on ${where}.`;
      const sections: Section[] = mine.length ? [{ kind: 'sessions', sessions: mine, showServer: true, verbose: cmd.verbose, layout: cmd.layout }, ...errors] : errors;
      return this.d.trail.answer(rc, { ...base, targets: targetsOf(mine), outcome: 'shown' }, this.d.replies.make(rc.requestId, 'ok', summary, sections, true), this.d.replies);
    }
    const first = mine[0];
    if (!first) {
      const what = cmd.id !== undefined ? `no session ${cmd.id} of yours (${me})` : `no session of yours (${me})`;
      await this.d.trail.note(rc, { ...base, outcome: 'not-performed', detail: `${what} on ${where}` });
      return this.d.replies.make(rc.requestId, failures.length ? 'failed' : 'ok', `Nothing to do: ${what} on ${where}.`, errors, true);
    }
    if (mine.length > 1) {
      const pick = `${rc.names.of(cmd.verb)} me ${first.server} ${first.id}`;
      await this.d.trail.note(rc, { ...base, targets: targetsOf(mine), outcome: 'not-performed', detail: 'several sessions: asked which' });
      return this.d.replies.make(rc.requestId, 'usage', `You have ${mine.length} sessions (${me}); say which by server and ID, e.g. ${pick}.`, [{ kind: 'sessions', sessions: mine, showServer: true, verbose: false }, ...errors], true);
    }
    const plan: Plan = { action: cmd.action, server: first.server, sessions: [first], verbose: cmd.verbose, selfService: { account: me } };
    return this.d.flow.ask(rc, plan);
  }

  /** The caller's account, or the refusal (audited): no resolver, not mapped, ambiguous, directory down. */
  private async resolve(rc: RequestContext, cmd: SelfCommand, hints: IdentityHints): Promise<{ account: WindowsAccount } | { reply: Reply }> {
    const refuse = async (reason: string): Promise<{ reply: Reply }> => {
      const audit: AuditFields = { decision: 'denied', action: cmd.action, selfService: true, detail: `identity: ${reason}`, outcome: 'not-performed' };
      if (cmd.server) audit.server = cmd.server;
      await this.d.trail.note(rc, audit);
      return { reply: this.d.replies.whoAreYou(rc.requestId, reason) };
    };
    if (!this.d.identity) return refuse('no identity resolver is configured (identities or identity in the access file)');
    const r = await this.d.identity.resolve(rc.caller, hints);
    return r.ok ? { account: r.account } : refuse(r.reason);
  }

  /** Only the account's own user sessions: same user, and its domain under any name configured for it. */
  /** Listing may answer from the session index; choosing what to act on always reads live. */
  private async sessionsOf(a: WindowsAccount, servers: readonly string[], id: number | undefined, indexed: boolean): Promise<{ mine: Session[]; failures: ServerFailure[] }> {
    const domains = this.d.ctx.policy.domainNames(a.domain);
    const user = a.user.toLowerCase();
    const mine: Session[] = [];
    const failures: ServerFailure[] = [];
    const take = (sessions: readonly Session[]): void => {
      for (const s of sessions) {
        if (isUserSession(s) && s.user.toLowerCase() === user && domains.includes(s.domain.toUpperCase()) && (id === undefined || s.id === id)) mine.push(s);
      }
    };
    const known = indexed ? await this.d.index.lookup(servers) : new Map<string, { sessions: Session[] }>();
    for (const entry of known.values()) take(entry.sessions);
    for (const r of await this.d.fanout.read(servers.filter((s) => !known.has(s)))) {
      if ('failure' in r) failures.push(r.failure);
      else take(r.sessions);
    }
    mine.sort((x, y) => x.server.localeCompare(y.server) || x.id - y.id);
    return { mine, failures };
  }

}
