import { randomBytes } from 'node:crypto';
import type { SessionBackend } from '../wts/backend.js';
import { isUserSession, type Session } from '../wts/session.js';
import { ActionRunner } from './action-runner.js';
import type { Action, Permission } from './actions.js';
import { ApprovalFlow, type ExpiredApproval } from './approval-flow.js';
import { ApprovalStore } from './approvals.js';
import type { AuditSink } from './audit.js';
import { AuditTrail, errorText, targetsOf, type AuditFields } from './audit-trail.js';
import type { Caller, Platform } from './caller.js';
import { CONSOLE_NAMES, slashNames, type CommandNames } from './command-names.js';
import { ChannelBook } from './channel-book.js';
import { systemClock, type Clock } from './clock.js';
import { actingActionOf, actionOf, isMultiTarget } from './commands.js';
import { ConfirmationFlow, type ExpiredConfirmation } from './confirmation-flow.js';
import { ConfirmationStore } from './confirmations.js';
import { ServerDirectory } from './directory.js';
import type { ActionCommand, Command, ParseContext, Verb } from './grammar/command.js';
import { parseCommand } from './grammar/parse.js';
import { silentLogger, type Logger } from './logger.js';
import { participant } from './participants.js';
import { isBulk, type Plan } from './plan.js';
import type { ApprovalRule } from './policy/access-model.js';
import type { Policy } from './policy/policy.js';
import type { ChannelNames } from './ports/channel-names.js';
import { MemoryStateStore } from './ports/memory-state-store.js';
import type { IdentityHints, IdentityResolver } from './ports/identity.js';
import { isStateUnavailable, type StateStore } from './ports/state-store.js';
import { SelfServiceFlow } from './self-service.js';
import { PLAN_PRECONDITIONS, PRECONDITIONS, requirementsFor, runPreconditions, type PreconditionDeps } from './preconditions.js';
import { RateLimiter } from './rate-limit.js';
import { ReplyFactory } from './replies.js';
import type { RequestContext } from './request.js';
import type { Reply } from './results.js';
import type { BotSettings } from './settings.js';
import type { UseCaseContext } from './usecases/context.js';
import { search, type SearchProgress } from './usecases/find.js';
import { FanOut } from './fanout.js';
import { ServerHealth } from './server-health.js';
import { SessionIndex } from './session-index.js';
import { listSessions } from './usecases/list.js';
import { preparePlan } from './usecases/prepare.js';
import { specOf, splitVerb, verbNamed } from './verbs/table.js';

export interface BotDeps {
  backend: SessionBackend;
  policy: Policy;
  audit: AuditSink;
  settings: BotSettings;
  clock?: Clock;
  newId?: () => string;
  /** Shared state (confirmations, rate windows, deliveries seen); in this process's memory when absent. */
  state?: StateStore;
  /** Where the bot reports what it cannot put in a reply (an audit record it could not write). */
  log?: Logger;
  /** Who "me" is, for self-service; without it, self-service says it cannot tell. */
  identity?: IdentityResolver;
}

/** One request from any adapter: the slash command's verb (or any name of it) and the text after it. */
export interface BotRequest {
  caller: Caller;
  verb: string;
  text: string;
  /** What the platform can tell about the caller when self-service asks who they are (Slack: their email). */
  hints?: IdentityHints;
  /**
   * Told what a search across servers has found so far, as servers answer (each call supersedes the
   * last); the promise still resolves with the complete reply.
   */
  onProgress?: (partial: Reply) => void;
}

export type { ExpiredConfirmation } from './confirmation-flow.js';
export type { ExpiredApproval } from './approval-flow.js';

function defaultId(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * The one entry every adapter calls: parse, check the preconditions, confirm, act, audit, and say
 * what happened. Every request ends in a Reply; none throws. Behind it, parts with one job each:
 * the directory of servers, the preconditions, the confirmation flow, the action runner, the audit trail.
 */
export class Bot {
  readonly settings: BotSettings;
  /** Shared state for the adapters' own plumbing too (deliveries already handled, prompt references). */
  readonly state: StateStore;
  private readonly backend: SessionBackend;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly replies: ReplyFactory;
  private readonly trail: AuditTrail;
  private readonly directory: ServerDirectory;
  private readonly checks: PreconditionDeps;
  private readonly ctx: UseCaseContext;
  private readonly runner: ActionRunner;
  private readonly flow: ConfirmationFlow;
  private readonly self: SelfServiceFlow;
  private readonly health: ServerHealth;
  private readonly fanout: FanOut;
  private readonly index: SessionIndex;
  private readonly names = new Map<Platform, CommandNames>();
  private readonly approvals: ApprovalFlow;
  private readonly channels = new ChannelBook();

  constructor(deps: BotDeps) {
    this.backend = deps.backend;
    this.settings = deps.settings;
    this.clock = deps.clock ?? systemClock;
    this.newId = deps.newId ?? defaultId;
    this.state = deps.state ?? new MemoryStateStore(() => this.clock.now());
    const log = deps.log ?? silentLogger;
    this.replies = new ReplyFactory(this.simulated);
    this.trail = new AuditTrail(deps.audit, this.clock, log, this.simulated);
    this.directory = new ServerDirectory(deps.backend, deps.policy, deps.settings);
    this.ctx = { backend: deps.backend, policy: deps.policy, clock: this.clock, settings: deps.settings };
    this.checks = {
      policy: deps.policy,
      rate: new RateLimiter(this.state, deps.settings.destructivePerMinute),
      replies: this.replies,
      clock: this.clock,
      channels: this.channels,
      permitted: (rc, action) => this.directory.permitted(rc.caller, action),
    };
    this.health = new ServerHealth(this.state, deps.backend, this.clock, deps.settings.downMs, log, deps.settings.timeZone);
    this.fanout = new FanOut(this.ctx, this.health, this.clock);
    this.index = new SessionIndex(this.state, this.fanout, this.clock, deps.settings.indexIntervalMs, log);
    this.runner = new ActionRunner(this.ctx, this.trail, this.replies, this.checks);
    const begin = (c: Caller, cmd: string, id?: string): RequestContext => this.begin(c, cmd, id);
    const approvalStore = new ApprovalStore(this.state, deps.settings.approvalTtlMs, this.newId);
    this.approvals = new ApprovalFlow(approvalStore, this.trail, this.replies, this.runner, deps.policy, this.clock, deps.settings.approvalTtlMs, begin, log);
    const store = new ConfirmationStore(this.state, deps.settings.confirmTtlMs, this.newId);
    this.flow = new ConfirmationFlow(store, this.trail, this.replies, this.runner, this.approvals, this.clock, deps.settings.confirmTtlMs, begin, log);
    this.self = new SelfServiceFlow({ ctx: this.ctx, directory: this.directory, trail: this.trail, replies: this.replies, flow: this.flow, fanout: this.fanout, index: this.index, ...(deps.identity ? { identity: deps.identity } : {}) });
  }

  get simulated(): boolean {
    return this.backend.kind === 'simulated';
  }

  // ---- what adapters read (hints, autocomplete), never instead of handle() ----

  knownServers(): string[] {
    return this.directory.knownServers();
  }

  permittedServers(caller: Caller, action: Action = 'query'): string[] {
    return this.directory.permitted(caller, action);
  }

  allows(caller: Caller, permission: Permission, server: string): boolean {
    return this.directory.allows(caller, permission, server);
  }

  /**
   * Sessions for autocomplete: read live within `timeoutMs`, else what the session index knows;
   * never an error, never audited (nothing is done with them but offer choices).
   */
  async peekSessions(caller: Caller, server: string, timeoutMs: number): Promise<Session[]> {
    if (!this.directory.allows(caller, 'query', server)) return [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    try {
      const live = this.backend.listSessions(server).then((all) => all.filter(isUserSession), () => undefined);
      const sessions = await Promise.race([live, late]);
      if (sessions) return sessions;
      return ((await this.index.lookup([server])).get(server)?.sessions ?? []).filter(isUserSession);
    } finally {
      clearTimeout(timer);
    }
  }

  parseContext(caller: Caller): ParseContext {
    return this.directory.parseContextFor(caller, this.namesOf(caller));
  }

  /** How commands are typed on a platform (Slack's configured slash commands): used in usage, help and examples. */
  useCommandNames(platform: Platform, map: Partial<Record<Verb, string>>): void {
    this.names.set(platform, slashNames(map));
  }

  /** An adapter tells the bot its platform's channel names, for denials that say where a grant applies. */
  useChannelNames(platform: Platform, names: ChannelNames): () => void {
    return this.channels.use(platform, names);
  }

  // ---- requests ----

  async handle(req: BotRequest): Promise<Reply> {
    // `query` + `user jdoe` is `query user` + `jdoe`: two-word names are rejoined however they arrive.
    const split = splitVerb(`${req.verb.replace(/^[/!]/, '')} ${req.text}`);
    const word = split.verbWord;
    const text = split.rest;
    const rc = this.begin(req.caller, `/${word} ${text.trim()}`.trim());
    const verb = verbNamed(word);
    if (verb) rc.verb = verb;
    try {
      return await this.dispatch(rc, word, text, req);
    } catch (e) {
      return this.internalError(rc, e);
    }
  }

  async confirm(confirmationId: string, caller: Caller): Promise<Reply> {
    try {
      return await this.flow.confirm(confirmationId, caller);
    } catch (e) {
      return this.internalError(this.begin(caller, `confirm ${confirmationId}`), e);
    }
  }

  async cancel(confirmationId: string, caller: Caller): Promise<Reply> {
    try {
      return await this.flow.cancel(confirmationId, caller);
    } catch (e) {
      return this.internalError(this.begin(caller, `cancel ${confirmationId}`), e);
    }
  }

  /** An approver approves: the last approval needed acts, once. Refusals are private and audited. */
  async approve(approvalId: string, caller: Caller): Promise<Reply> {
    try {
      return await this.approvals.approve(approvalId, caller);
    } catch (e) {
      return this.internalError(this.begin(caller, `approve ${approvalId}`), e);
    }
  }

  /** An approver rejects (or the requester withdraws) a request; `note` is a reply to the requester. */
  async reject(approvalId: string, caller: Caller, note?: string): Promise<Reply> {
    try {
      return await this.approvals.reject(approvalId, caller, note);
    } catch (e) {
      return this.internalError(this.begin(caller, `reject ${approvalId}`), e);
    }
  }

  /** Audits and announces every confirmation and approval request that expired unanswered. Call it periodically. */
  async sweepExpired(): Promise<(ExpiredConfirmation | ExpiredApproval)[]> {
    const confirmations = await this.flow.sweep();
    return [...confirmations, ...(await this.approvals.sweep())];
  }

  onConfirmationExpired(listener: (e: ExpiredConfirmation) => void): () => void {
    return this.flow.onExpired(listener);
  }

  /** Refreshes the live session index (when RWINSTA_INDEX_SECONDS is set); a sweep already running makes this a no-op. */
  refreshIndex(): Promise<number> {
    return this.index.sweep(this.directory.knownServers());
  }

  onApprovalExpired(listener: (e: ExpiredApproval) => void): () => void {
    return this.approvals.onExpired(listener);
  }

  pendingConfirmations(): Promise<number> {
    return this.flow.pending();
  }

  pendingApprovals(): Promise<number> {
    return this.approvals.pending();
  }

  /** The process is stopping under running actions: each gets an `interrupted` outcome record. */
  interruptInFlight(reason: string): Promise<number> {
    return this.runner.interruptInFlight(reason);
  }

  // ---- behind handle() ----

  private begin(caller: Caller, command: string, requestId = this.newId()): RequestContext {
    return { requestId, caller, command, startedAt: this.clock.now(), names: this.namesOf(caller) };
  }

  private namesOf(caller: Caller): CommandNames {
    return this.names.get(caller.platform) ?? CONSOLE_NAMES;
  }

  private async dispatch(rc: RequestContext, word: string, text: string, req: BotRequest): Promise<Reply> {
    const parsed = parseCommand(word, text, this.directory.parseContextFor(rc.caller, rc.names));
    if (!parsed.ok) {
      await this.trail.note(rc, { decision: 'invalid', detail: parsed.error.message, outcome: 'not-performed' });
      return this.replies.usage(rc.requestId, parsed.error);
    }
    const cmd = parsed.command;
    rc.verb = cmd.verb;
    if ('reason' in cmd && cmd.reason !== undefined) rc.reason = cmd.reason;
    const refused = await runPreconditions(PRECONDITIONS[cmd.kind], this.checks, this.trail, rc, {
      action: actionOf(cmd),
      ...('server' in cmd ? { server: cmd.server } : {}),
      multi: isMultiTarget(cmd),
      acting: false,
    });
    if (refused) return refused;
    switch (cmd.kind) {
      case 'help':
        // Help touches nothing: it is shown even when the audit log cannot be written.
        await this.trail.note(rc, { decision: 'allowed', outcome: 'shown' });
        return this.replies.help(rc.requestId, cmd.topic, rc.names);
      case 'list':
        return this.list(rc, cmd);
      case 'find':
        return this.find(rc, cmd, req.onProgress);
      case 'self':
        return this.self.handle(rc, cmd, req.hints ?? {});
      default:
        return this.act(rc, cmd);
    }
  }

  private async list(rc: RequestContext, cmd: Extract<Command, { kind: 'list' }>): Promise<Reply> {
    const r = await listSessions(this.ctx, cmd);
    // Named alone, a server known to be down is still called: what it answers is what is known now.
    await this.health.noteResult(cmd.server, r.failure);
    const fields: AuditFields = { decision: 'allowed', action: 'query', server: cmd.server, outcome: r.status === 'ok' ? 'shown' : 'failed' };
    if (r.failure) fields.errorCode = r.failure.code;
    return this.trail.answer(rc, fields, this.replies.make(rc.requestId, r.status, r.summary, r.sections, r.status !== 'ok'), this.replies);
  }

  private async find(rc: RequestContext, cmd: Extract<Command, { kind: 'find' }>, onProgress?: (partial: Reply) => void): Promise<Reply> {
    const permitted = this.directory.permitted(rc.caller, 'query');
    const servers = cmd.group ? this.directory.groupServers(cmd.group).filter((s) => permitted.includes(s)) : permitted;
    if (servers.length === 0) {
      const reason = `none of @${cmd.group ?? ''}'s servers is one you may query`;
      await this.trail.note(rc, { decision: 'denied', action: 'query', detail: reason, outcome: 'not-performed' });
      return this.replies.denied(rc.requestId, 'query', `@${cmd.group ?? ''}`, reason);
    }
    const progress = onProgress && ((p: SearchProgress): void => onProgress(this.replies.make(rc.requestId, p.result.status, p.result.summary, p.result.sections, false)));
    const r = await search({ ctx: this.ctx, fanout: this.fanout, index: this.index }, { ...cmd, servers }, progress);
    const fields: AuditFields = {
      decision: 'allowed',
      action: 'query',
      targets: targetsOf(r.matches),
      outcome: r.status === 'ok' ? 'shown' : 'failed',
      detail: `searched ${servers.length} servers; ${r.failures.length} failed`,
    };
    const firstFailure = r.failures[0];
    if (firstFailure) fields.errorCode = firstFailure.code;
    return this.trail.answer(rc, fields, this.replies.make(rc.requestId, r.status, r.summary, r.sections, r.status !== 'ok'), this.replies);
  }

  private async act(rc: RequestContext, cmd: ActionCommand): Promise<Reply> {
    const action = actingActionOf(cmd);
    const prep = await preparePlan(this.ctx, cmd, rc.names);
    if (!prep.ok) {
      const fields: AuditFields = { decision: 'failed', action, server: cmd.server, outcome: 'not-performed' };
      let reply: Reply;
      switch (prep.kind) {
        case 'backend':
          fields.errorCode = prep.failure.code;
          fields.detail = prep.failure.message;
          reply = this.replies.serverFailed(rc.requestId, prep.failure);
          break;
        case 'nothing-to-do':
          fields.decision = 'allowed';
          fields.detail = prep.message;
          reply = this.replies.nothingToDo(rc.requestId, prep.message);
          break;
        case 'too-many':
          fields.detail = prep.message;
          reply = this.replies.tooMany(rc.requestId, prep.message, prep.candidates);
          break;
        case 'refused':
          fields.decision = 'denied';
          fields.detail = prep.message;
          reply = this.replies.refused(rc.requestId, prep.message);
          break;
        default:
          fields.detail = prep.message;
          reply = this.replies.unresolved(rc.requestId, prep.kind, prep.message, prep.candidates);
      }
      await this.trail.note(rc, fields);
      return reply;
    }
    const plan = prep.plan;
    if (isBulk(plan) && !isMultiTarget(cmd)) {
      const refused = await runPreconditions(PLAN_PRECONDITIONS, this.checks, this.trail, rc, { action, server: cmd.server, multi: true, acting: false });
      if (refused) return refused;
    }
    // /f skips the requester's confirmation, never an approval.
    const approval = requirementsFor(this.checks, rc, { action, server: cmd.server, multi: isBulk(plan), acting: false }).approval;
    if (specOf(cmd.verb).acting?.confirm(plan)) {
      const forced = cmd.force && this.directory.allows(rc.caller, 'force', cmd.server);
      if (!forced) {
        const note = cmd.force ? `/f ignored: none of your roles grants "force" on ${cmd.server}, so this needs your confirmation.` : undefined;
        return this.flow.ask(rc, plan, note, approval);
      }
    }
    return this.proceed(rc, plan, approval);
  }

  /** Acts at once, or asks the approvers first. */
  private proceed(rc: RequestContext, plan: Plan, approval: ApprovalRule | undefined): Promise<Reply> {
    rc.participants = [participant('requested', rc.caller, rc.startedAt)];
    return approval ? this.approvals.request(rc, plan, approval) : this.runner.run(rc, plan, 'allowed');
  }


  private async internalError(rc: RequestContext, e: unknown): Promise<Reply> {
    const text = errorText(e);
    if (isStateUnavailable(e)) {
      await this.trail.note(rc, { decision: 'failed', detail: `state store unavailable: ${text}`, outcome: 'not-performed' });
      return this.replies.stateUnavailable(rc.requestId, text);
    }
    await this.trail.note(rc, { decision: 'failed', detail: `internal error: ${text}`, outcome: 'not-performed' });
    return this.replies.internalError(rc.requestId, text);
  }
}
