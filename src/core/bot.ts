import { randomBytes } from 'node:crypto';
import type { SessionBackend } from '../wts/backend.js';
import { isUserSession, qualifiedUser, type Session } from '../wts/session.js';
import type { AuditDecision, AuditRecord, AuditSink, AuditTarget } from './audit.js';
import { callerKey, callerLabel, type Caller } from './caller.js';
import { systemClock, type Clock } from './clock.js';
import { ConfirmationStore, type PendingConfirmation } from './confirmations.js';
import type { ActionCommand, Command, ParseContext } from './grammar/command.js';
import { parseCommand } from './grammar/parse.js';
import { helpText } from './grammar/usage.js';
import type { Action } from './policy/access-model.js';
import type { Policy } from './policy/policy.js';
import { isBulk, type Plan } from './plan.js';
import { RateLimiter } from './rate-limit.js';
import { formatDuration } from './render/format.js';
import { capitalize, executionSummary, lowerFirst, planConsequence, planLabel, ReplyFactory } from './replies.js';
import type { Reply, Section } from './results.js';
import type { BotSettings } from './settings.js';
import type { UseCaseContext } from './usecases/context.js';
import { executePlan } from './usecases/execute.js';
import { findUser } from './usecases/find.js';
import { listSessions } from './usecases/list.js';
import { actionOf, isMultiTarget, needsConfirmation, preparePlan } from './usecases/prepare.js';

export interface BotDeps {
  backend: SessionBackend;
  policy: Policy;
  audit: AuditSink;
  settings: BotSettings;
  clock?: Clock;
  newId?: () => string;
}

/** One request from any adapter: the slash command's verb (or alias) and the text after it. */
export interface BotRequest {
  caller: Caller;
  verb: string;
  text: string;
}

export interface ExpiredConfirmation {
  id: string;
  requester: Caller;
  reply: Reply;
}

type Listener = (e: ExpiredConfirmation) => void;

interface RequestContext {
  requestId: string;
  caller: Caller;
  command: string;
  startedAt: number;
}

interface InFlightAction {
  rc: RequestContext;
  base: Partial<AuditRecord>;
}

const DESTRUCTIVE = new Set(['logoff', 'disconnect']);

function defaultId(): string {
  return randomBytes(12).toString('base64url');
}

function targetsOf(sessions: readonly Session[]): AuditTarget[] {
  return sessions.map((s) => ({ server: s.server, id: s.id, user: qualifiedUser(s), state: s.state }));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The bot's one API for every adapter: parse, authorize, confirm, act, audit, and say what happened.
 * Every request ends in a Reply; none throws.
 */
export class Bot {
  private readonly backend: SessionBackend;
  private readonly policy: Policy;
  private readonly audit: AuditSink;
  private readonly clock: Clock;
  private readonly newId: () => string;
  readonly settings: BotSettings;
  private readonly confirmations: ConfirmationStore;
  private readonly rate: RateLimiter;
  private readonly replies: ReplyFactory;
  private readonly ctx: UseCaseContext;
  private readonly expiryListeners = new Set<Listener>();
  /** Fixed for the bot's life: the backend's servers and the access file do not change under it. */
  private readonly known: ReadonlySet<string>;
  private readonly grammarContext: ParseContext;
  /** Actions whose intent record is written and whose outcome is not yet known. */
  private readonly inFlight = new Set<InFlightAction>();

  constructor(deps: BotDeps) {
    this.backend = deps.backend;
    this.policy = deps.policy;
    this.audit = deps.audit;
    this.clock = deps.clock ?? systemClock;
    this.newId = deps.newId ?? defaultId;
    this.settings = deps.settings;
    this.confirmations = new ConfirmationStore(deps.settings.confirmTtlMs, this.newId);
    this.rate = new RateLimiter(deps.settings.destructivePerMinute);
    this.replies = new ReplyFactory(deps.backend.kind === 'simulated');
    this.ctx = { backend: this.backend, policy: this.policy, clock: this.clock, settings: this.settings };
    const names = new Set<string>([...this.backend.knownServers(), ...this.policy.namedServers()].map((s) => s.toLowerCase()));
    if (this.settings.defaultServer) names.add(this.settings.defaultServer.toLowerCase());
    this.known = new Set([...names].sort());
    const covered = new Map<string, boolean>();
    this.grammarContext = {
      isKnownServer: (n) => {
        const key = n.toLowerCase();
        if (this.known.has(key)) return true;
        let c = covered.get(key);
        if (c === undefined) {
          c = this.policy.coversServer(key);
          if (covered.size < 10_000) covered.set(key, c);
        }
        return c;
      },
    };
    if (this.settings.defaultServer) this.grammarContext.defaultServer = this.settings.defaultServer.toLowerCase();
  }

  get simulated(): boolean {
    return this.backend.kind === 'simulated';
  }

  /** Servers known by name: the backend's, the access file's, and the default server. */
  knownServers(): string[] {
    return [...this.known];
  }

  parseContext(): ParseContext {
    return this.grammarContext;
  }

  /** Servers the caller may do `action` on, for find-user and autocomplete. */
  permittedServers(caller: Caller, action: Action = 'query'): string[] {
    return this.knownServers().filter((s) => this.policy.authorize(caller, action, s).allowed);
  }

  /** Whether the caller may do `action` on `server` (for adapters' hints, never instead of handle()). */
  allows(caller: Caller, action: Action, server: string): boolean {
    return this.policy.authorize(caller, action, server).allowed;
  }

  /** Sessions for autocomplete: what is known within `timeoutMs`, never an error. Not audited. */
  async peekSessions(caller: Caller, server: string, timeoutMs: number): Promise<Session[]> {
    if (!this.policy.authorize(caller, 'query', server).allowed) return [];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Session[]>((resolve) => (timer = setTimeout(() => resolve([]), timeoutMs)));
    try {
      const sessions = this.backend.listSessions(server).then((all) => all.filter(isUserSession), () => []);
      return await Promise.race([sessions, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  onConfirmationExpired(listener: Listener): () => void {
    this.expiryListeners.add(listener);
    return () => this.expiryListeners.delete(listener);
  }

  async handle(req: BotRequest): Promise<Reply> {
    const verb = req.verb.replace(/^\//, '');
    const rc: RequestContext = {
      requestId: this.newId(),
      caller: req.caller,
      command: `/${verb} ${req.text.trim()}`.trim(),
      startedAt: this.clock.now(),
    };
    try {
      return await this.dispatch(rc, verb, req.text);
    } catch (e) {
      return this.internalError(rc, e);
    }
  }

  async confirm(confirmationId: string, caller: Caller): Promise<Reply> {
    const now = this.clock.now();
    const claim = this.confirmations.claim(confirmationId, caller, now);
    const rc: RequestContext = { requestId: this.newId(), caller, command: `confirm ${confirmationId}`, startedAt: now };
    try {
      if (!claim.ok) {
        if (claim.reason === 'unknown') {
          return this.replies.make(rc.requestId, 'expired', 'This confirmation was already used, cancelled or has expired; nothing was done. Run the command again if it is still needed.', [], true);
        }
        const p = claim.pending;
        if (claim.reason === 'not-requester') {
          await this.record(rc, { decision: 'denied', confirmationId: p.id, detail: `only ${callerLabel(p.requester)} may confirm`, outcome: 'not-performed' }).catch(() => undefined);
          return this.replies.make(rc.requestId, 'denied', `Only ${p.requester.userName || p.requester.userId} can confirm this; nothing was done.`, [], true);
        }
        return await this.expire(p, rc);
      }
      const p = claim.pending;
      rc.command = p.command;
      return await this.run(rc, p.plan, 'confirmed', p.id);
    } catch (e) {
      return this.internalError(rc, e);
    }
  }

  async cancel(confirmationId: string, caller: Caller): Promise<Reply> {
    const now = this.clock.now();
    const rc: RequestContext = { requestId: this.newId(), caller, command: `cancel ${confirmationId}`, startedAt: now };
    const claim = this.confirmations.claim(confirmationId, caller, now);
    if (!claim.ok) {
      if (claim.reason === 'not-requester') {
        return this.replies.make(rc.requestId, 'denied', `Only ${claim.pending.requester.userName || claim.pending.requester.userId} can cancel this.`, [], true);
      }
      if (claim.reason === 'expired') return this.expire(claim.pending, rc);
      return this.replies.make(rc.requestId, 'expired', 'This confirmation was already used, cancelled or has expired.', [], true);
    }
    rc.command = claim.pending.command;
    const detail = planLabel(claim.pending.plan);
    await this.record(rc, { decision: 'cancelled', confirmationId, action: claim.pending.plan.action, server: claim.pending.plan.server, targets: targetsOf(claim.pending.plan.sessions), outcome: 'not-performed' }).catch(() => undefined);
    return this.replies.make(rc.requestId, 'cancelled', `Cancelled: ${lowerFirst(detail)} was not done.`);
  }

  /** Audits and announces every confirmation that expired unanswered. Call it periodically. */
  async sweepExpired(): Promise<ExpiredConfirmation[]> {
    const out: ExpiredConfirmation[] = [];
    for (const p of this.confirmations.takeExpired(this.clock.now())) {
      const rc: RequestContext = { requestId: p.requestId, caller: p.requester, command: p.command, startedAt: this.clock.now() };
      const reply = await this.expire(p, rc);
      const e: ExpiredConfirmation = { id: p.id, requester: p.requester, reply };
      out.push(e);
      for (const l of this.expiryListeners) l(e);
    }
    return out;
  }

  /**
   * For a process about to stop (Ctrl-C at the console): writes an `interrupted` outcome record for
   * every action that wrote its intent record but not yet its outcome. Resolves with how many were written.
   */
  async interruptInFlight(reason: string): Promise<number> {
    const actions = [...this.inFlight];
    this.inFlight.clear();
    let written = 0;
    for (const a of actions) {
      try {
        await this.record(a.rc, { ...a.base, decision: 'failed', phase: 'outcome', outcome: 'interrupted', detail: reason });
        written++;
      } catch {
        // Best effort: the process is stopping and the intent record already says what was attempted.
      }
    }
    return written;
  }

  get pendingConfirmations(): number {
    return this.confirmations.size;
  }

  private async expire(p: PendingConfirmation, rc: RequestContext): Promise<Reply> {
    await this.record(rc, { decision: 'expired', confirmationId: p.id, action: p.plan.action, server: p.plan.server, targets: targetsOf(p.plan.sessions), outcome: 'not-performed' }).catch(() => undefined);
    const label = planLabel(p.plan);
    return this.replies.make(rc.requestId, 'expired', `Expired: ${lowerFirst(label)} was not confirmed within ${formatDuration(this.settings.confirmTtlMs)}; nothing was done.`);
  }

  private async dispatch(rc: RequestContext, verb: string, text: string): Promise<Reply> {
    const parsed = parseCommand(verb, text, this.parseContext());
    if (!parsed.ok) {
      const reply = this.replies.usage(rc.requestId, parsed.error);
      await this.record(rc, { decision: 'invalid', detail: parsed.error.message, outcome: 'not-performed' }).catch(() => undefined);
      return reply;
    }
    const cmd = parsed.command;
    switch (cmd.kind) {
      case 'help': {
        // Help touches nothing, so it is shown even when the audit log cannot be written.
        const reply = this.replies.make(rc.requestId, 'help', cmd.topic ? `Help: ${cmd.topic}` : 'Commands:', [{ kind: 'text', text: helpText(cmd.topic) }], true);
        await this.record(rc, { decision: 'allowed', action: 'help' }).catch(() => undefined);
        return reply;
      }
      case 'list':
        return this.list(rc, cmd);
      case 'find':
        return this.find(rc, cmd);
      default:
        return this.action(rc, cmd);
    }
  }

  private async list(rc: RequestContext, cmd: Extract<Command, { kind: 'list' }>): Promise<Reply> {
    const denied = await this.checkPermission(rc, 'query', cmd.server, 'list');
    if (denied) return denied;
    const r = await listSessions(this.ctx, cmd);
    const reply = this.replies.make(rc.requestId, r.status, r.summary, r.sections, r.status !== 'ok');
    const fields: Partial<AuditRecord> = { action: 'list', server: cmd.server, outcome: r.status === 'ok' ? 'shown' : 'failed' };
    if (r.failure) fields.errorCode = r.failure.code;
    return this.auditedQuery(rc, fields, reply);
  }

  private async find(rc: RequestContext, cmd: Extract<Command, { kind: 'find' }>): Promise<Reply> {
    const servers = this.permittedServers(rc.caller, 'query');
    if (servers.length === 0) {
      const word = cmd.user.kind === 'name' ? cmd.user.name : '';
      const hint = word ? `; "${word}" was read as a user name to search for: to list a server, say qwinsta /server:${word}` : '';
      const reason = (this.policy.rolesOf(rc.caller).length === 0 ? 'you have no role in the access file' : 'none of your roles grants "query" on any server listed by name in the access file') + hint;
      await this.record(rc, { decision: 'denied', action: 'find', detail: reason, outcome: 'not-performed' }).catch(() => undefined);
      return this.replies.denied(rc.requestId, 'query', 'any server', reason);
    }
    const r = await findUser(this.ctx, { ...cmd, servers });
    const reply = this.replies.make(rc.requestId, r.status, r.summary, r.sections, r.status !== 'ok');
    const fields: Partial<AuditRecord> = { action: 'find', targets: targetsOf(r.matches), outcome: r.status === 'ok' ? 'shown' : 'failed', detail: `searched ${servers.length} servers; ${r.failures.length} failed` };
    const firstFailure = r.failures[0];
    if (firstFailure) fields.errorCode = firstFailure.code;
    return this.auditedQuery(rc, fields, reply);
  }

  private async action(rc: RequestContext, cmd: ActionCommand): Promise<Reply> {
    const action = actionOf(cmd);
    const denied =
      (await this.checkPermission(rc, action, cmd.server, action)) ??
      (isMultiTarget(cmd) ? await this.checkPermission(rc, 'bulk', cmd.server, action) : undefined);
    if (denied) return denied;
    const limited = await this.checkRate(rc, action, cmd.server);
    if (limited) return limited;

    const prep = await preparePlan(this.ctx, cmd);
    if (!prep.ok) {
      const candidates = 'candidates' in prep ? prep.candidates : undefined;
      const sections: Section[] = candidates ? [{ kind: 'sessions', sessions: candidates, showServer: false, verbose: false }] : [];
      const fields: Partial<AuditRecord> = { action, server: cmd.server, outcome: 'not-performed' };
      let reply: Reply;
      switch (prep.kind) {
        case 'backend':
          fields.errorCode = prep.failure.code;
          fields.detail = prep.failure.message;
          reply = this.replies.make(rc.requestId, 'failed', `Not done: ${prep.failure.message}`, [], true);
          break;
        case 'nothing-to-do':
          fields.detail = prep.message;
          reply = this.replies.make(rc.requestId, 'ok', prep.message, [], false);
          break;
        case 'too-many':
          fields.detail = prep.message;
          reply = this.replies.make(rc.requestId, 'denied', `Not done: ${prep.message}.`, sections, true);
          break;
        default:
          fields.detail = prep.message;
          reply = this.replies.make(rc.requestId, prep.kind === 'not-found' ? 'failed' : 'usage', `${capitalize(prep.message)}.`, sections, true);
      }
      await this.record(rc, { decision: prep.kind === 'nothing-to-do' ? 'allowed' : 'failed', ...fields }).catch(() => undefined);
      return reply;
    }
    const plan = prep.plan;
    if (isBulk(plan) && !isMultiTarget(cmd)) {
      const bulkDenied = await this.checkPermission(rc, 'bulk', cmd.server, action);
      if (bulkDenied) return bulkDenied;
    }
    let note: string | undefined;
    if (needsConfirmation(plan)) {
      const forced = cmd.force && this.policy.authorize(rc.caller, 'force', cmd.server).allowed;
      if (!forced) {
        if (cmd.force) note = `/f ignored: none of your roles grants "force" on ${cmd.server}, so this needs your confirmation.`;
        return this.askConfirmation(rc, plan, note);
      }
    }
    return this.run(rc, plan, 'allowed');
  }

  private async askConfirmation(rc: RequestContext, plan: Plan, note?: string): Promise<Reply> {
    const p = this.confirmations.create(rc.caller, plan, this.clock.now(), rc.requestId, rc.command);
    try {
      await this.record(rc, { decision: 'confirmation-requested', confirmationId: p.id, action: plan.action, server: plan.server, targets: targetsOf(plan.sessions), outcome: 'not-performed' });
    } catch (e) {
      this.confirmations.claim(p.id, rc.caller, this.clock.now());
      return this.replies.auditFailed(rc.requestId, errorText(e), 'nothing will be done');
    }
    const label = planLabel(plan);
    const sections: Section[] = [{ kind: 'sessions', sessions: plan.sessions, showServer: false, verbose: false }];
    const lines = [planConsequence(plan), `Expires in ${formatDuration(this.settings.confirmTtlMs)}; only ${rc.caller.userName || rc.caller.userId} can confirm. Each session is re-checked just before acting.`];
    if (note) lines.unshift(note);
    sections.push({ kind: 'text', text: lines.join('\n') });
    // Public: the team sees what is about to happen; only the requester can confirm it.
    const reply = this.replies.make(rc.requestId, 'confirm', `Confirm: ${lowerFirst(label)}?`, sections, false);
    reply.confirmation = { id: p.id, expiresAt: p.expiresAt, actionLabel: label };
    return reply;
  }

  /** Acts on a plan: rate limit, intent record (fail closed), act, outcome record. */
  private async run(rc: RequestContext, plan: Plan, decision: AuditDecision, confirmationId?: string): Promise<Reply> {
    const limited = await this.checkRate(rc, plan.action, plan.server, confirmationId);
    if (limited) return limited;
    const base: Partial<AuditRecord> = { action: plan.action, server: plan.server, targets: targetsOf(plan.sessions) };
    if (confirmationId) base.confirmationId = confirmationId;
    try {
      await this.record(rc, { ...base, decision, phase: 'intent' });
    } catch (e) {
      return this.replies.auditFailed(rc.requestId, errorText(e), 'the action was not performed');
    }
    if (DESTRUCTIVE.has(plan.action)) this.rate.record(callerKey(rc.caller), this.clock.now());
    const flight: InFlightAction = { rc, base };
    this.inFlight.add(flight);
    let ex: Awaited<ReturnType<typeof executePlan>>;
    try {
      ex = await executePlan(this.ctx, plan);
    } finally {
      this.inFlight.delete(flight);
    }
    const sections: Section[] = [];
    if (ex.outcomes.length > 1 || ex.status !== 'ok') sections.push({ kind: 'outcomes', outcomes: ex.outcomes });
    if (plan.verbose) sections.push({ kind: 'steps', steps: ex.steps });
    const reply = this.replies.make(rc.requestId, ex.status, executionSummary(plan, ex), sections, false);
    const failed = ex.outcomes.find((o) => o.code !== undefined);
    const outcome: Partial<AuditRecord> & { decision: AuditDecision } = { ...base, decision, phase: 'outcome', outcome: ex.status, detail: ex.outcomes.map((o) => `${o.id}: ${o.result}: ${o.detail}`).join('; ') };
    if (failed?.code !== undefined) outcome.errorCode = failed.code;
    try {
      await this.record(rc, outcome);
    } catch (e) {
      reply.sections.push({ kind: 'text', text: `Warning: the action happened, but its outcome could not be written to the audit log (${errorText(e)}).` });
    }
    return reply;
  }

  private async checkPermission(rc: RequestContext, action: Action, server: string, auditAction: string): Promise<Reply | undefined> {
    const d = this.policy.authorize(rc.caller, action, server);
    if (d.allowed) return undefined;
    await this.record(rc, { decision: 'denied', action: auditAction, server, detail: d.reason, outcome: 'not-performed' }).catch(() => undefined);
    return this.replies.denied(rc.requestId, action, server, d.reason);
  }

  private async checkRate(rc: RequestContext, action: string, server: string, confirmationId?: string): Promise<Reply | undefined> {
    if (!DESTRUCTIVE.has(action)) return undefined;
    const wait = this.rate.retryAfter(callerKey(rc.caller), this.clock.now());
    if (wait <= 0) return undefined;
    const detail = `rate limit: ${this.rate.limit} logoffs or disconnects per minute`;
    const fields: Partial<AuditRecord> & { decision: AuditDecision } = { decision: 'rate-limited', action, server, detail, outcome: 'not-performed' };
    if (confirmationId) fields.confirmationId = confirmationId;
    await this.record(rc, fields).catch(() => undefined);
    return this.replies.make(rc.requestId, 'rate-limited', `Slow down: you may run ${this.rate.limit} logoffs or disconnects per minute; try again in ${Math.ceil(wait / 1000)} s. Nothing was done.`, [], true);
  }

  /** Queries are audited before they are answered: no audit, no answer. */
  private async auditedQuery(rc: RequestContext, fields: Partial<AuditRecord>, reply: Reply): Promise<Reply> {
    try {
      await this.record(rc, { decision: 'allowed', ...fields });
      return reply;
    } catch (e) {
      return this.replies.auditFailed(rc.requestId, errorText(e), 'the answer is withheld');
    }
  }

  private async internalError(rc: RequestContext, e: unknown): Promise<Reply> {
    const text = errorText(e);
    await this.record(rc, { decision: 'failed', detail: `internal error: ${text}`, outcome: 'not-performed' }).catch(() => undefined);
    return this.replies.make(rc.requestId, 'failed', `Internal error (request ${rc.requestId}): ${text}. Nothing further was done.`, [], true);
  }

  private record(rc: RequestContext, fields: Partial<AuditRecord> & { decision: AuditDecision }): Promise<void> {
    const rec: AuditRecord = {
      time: new Date(this.clock.now()).toISOString(),
      requestId: rc.requestId,
      platform: rc.caller.platform,
      userId: rc.caller.userId,
      userName: rc.caller.userName,
      command: rc.command,
      durationMs: this.clock.now() - rc.startedAt,
      simulated: this.simulated,
      ...fields,
    };
    if (rc.caller.channel !== undefined) rec.channel = rc.caller.channel;
    return this.audit.append(rec);
  }
}

