import type { MessageResponse } from '../../wts/backend.js';
import { WIN32, isWtsError } from '../../wts/errors.js';
import { qualifiedUser, type Session } from '../../wts/session.js';
import { CONSOLE_NAMES, type CommandNames } from '../command-names.js';
import type { Plan } from '../plan.js';
import { formatMs, formatTime } from '../render/format.js';
import type { SessionOutcome, Step } from '../results.js';
import { DEFAULT_MESSAGE_SECONDS } from '../verbs/switches.js';
import { timed, toFailure, type UseCaseContext } from './context.js';

export interface Execution {
  outcomes: SessionOutcome[];
  steps: Step[];
  status: 'ok' | 'partial' | 'failed';
}

const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Why the session read now is not the one the plan showed, or undefined when it still is. */
export function changeSince(planned: Session, now: Session, plan: Plan, timeZone?: string): string | undefined {
  if (!sameText(planned.user, now.user) || !sameText(planned.domain, now.domain)) {
    const was = qualifiedUser(planned) || 'nobody';
    const is = qualifiedUser(now) || 'nobody';
    return `session ${now.id} now belongs to ${is} (was ${was}): IDs are reused after logoff; run the command again`;
  }
  if (planned.logonTime && now.logonTime && planned.logonTime.getTime() !== now.logonTime.getTime()) {
    return `session ${now.id} is a new logon (at ${formatTime(now.logonTime, timeZone)}) since you asked; run the command again`;
  }
  if (plan.scope === 'disconnected' && now.state !== 'Disconnected') {
    return `session ${now.id} reconnected since you asked (now ${now.state})`;
  }
  if (plan.action !== 'message' && planned.state !== 'Active' && now.state === 'Active') {
    return `session ${now.id} became Active since you asked (the user is back); run the command again`;
  }
  return undefined;
}

/** What Windows said about a message: without /w only that it was sent (IDASYNC); with /w, what the user did. */
export function messageDetail(response: MessageResponse, m: { timeSeconds: number; wait: boolean }): string {
  if (!m.wait) return 'sent (without /w Windows does not say whether it was read)';
  switch (response) {
    case 'ok':
      return 'the user pressed OK';
    case 'timeout':
      return `not answered: the box closed after ${m.timeSeconds} s`;
    case 'async':
      return 'sent (Windows did not wait for an answer)';
    case 'other':
      return 'the user closed the box without pressing OK';
  }
}

function outcome(s: Session, result: SessionOutcome['result'], detail: string, code?: number): SessionOutcome {
  const o: SessionOutcome = { server: s.server, id: s.id, user: qualifiedUser(s), state: s.state, result, detail };
  if (code !== undefined) o.code = code;
  return o;
}

/** Re-reads the planned sessions: one query for one session, one enumeration for several. */
async function reread(ctx: UseCaseContext, plan: Plan, steps: Step[]): Promise<Map<number, Session>> {
  const current = new Map<number, Session>();
  const first = plan.sessions[0];
  if (plan.sessions.length === 1 && first) {
    try {
      const s = await timed(ctx, steps, `re-read session ${first.id} on ${plan.server}`, () =>
        ctx.backend.querySession(plan.server, first.id),
      );
      current.set(s.id, s);
    } catch (e) {
      if (!(isWtsError(e) && e.code === WIN32.CTX_WINSTATION_NOT_FOUND)) throw e;
    }
    return current;
  }
  const all = await timed(ctx, steps, `re-read the sessions on ${plan.server}`, () => ctx.backend.listSessions(plan.server));
  for (const s of all) current.set(s.id, s);
  return current;
}

async function act(ctx: UseCaseContext, plan: Plan, s: Session, steps: Step[]): Promise<SessionOutcome> {
  const user = qualifiedUser(s) || 'no user';
  try {
    switch (plan.action) {
      case 'logoff':
        await timed(ctx, steps, `logoff of session ${s.id} (${user}) requested`, () => ctx.backend.logoff(plan.server, s.id));
        return outcome(s, 'done', 'logoff requested');
      case 'disconnect':
        await timed(ctx, steps, `disconnected session ${s.id} (${user})`, () => ctx.backend.disconnect(plan.server, s.id));
        return outcome(s, 'done', 'programs keep running; the user can reconnect');
      case 'message': {
        const m = plan.message ?? { text: '', timeSeconds: DEFAULT_MESSAGE_SECONDS, wait: false };
        const response = await timed(ctx, steps, `message ${m.wait ? 'shown and answered' : 'sent'} in session ${s.id} (${user})`, () =>
          ctx.backend.sendMessage(plan.server, s.id, { title: ctx.settings.messageTitle, text: m.text, timeoutSeconds: m.timeSeconds, wait: m.wait }),
        );
        return outcome(s, 'done', messageDetail(response, m));
      }
    }
  } catch (e) {
    const f = toFailure(e, plan.server);
    return outcome(s, 'failed', f.message, f.code);
  }
}

/** Polls until every logged-off session is gone (or its ID belongs to a new logon), within a bound. */
async function verifyGone(ctx: UseCaseContext, plan: Plan, done: SessionOutcome[], steps: Step[], names: CommandNames): Promise<void> {
  const t0 = ctx.clock.now();
  const deadline = t0 + ctx.settings.logoffVerifyMs;
  const pending = new Map<number, Session>();
  for (const o of done) {
    const s = plan.sessions.find((p) => p.id === o.id);
    if (s) pending.set(s.id, s);
  }
  let checks = 0;
  let lastState = new Map<number, string>();
  let lastError: string | undefined;
  while (pending.size > 0) {
    await ctx.clock.sleep(ctx.settings.logoffPollMs);
    checks++;
    try {
      const now = await ctx.backend.listSessions(plan.server);
      lastError = undefined;
      lastState = new Map();
      for (const [id, planned] of pending) {
        const cur = now.find((x) => x.id === id);
        if (!cur || !sameText(cur.user, planned.user) || (planned.logonTime && cur.logonTime && planned.logonTime.getTime() !== cur.logonTime.getTime())) {
          pending.delete(id);
          const o = done.find((d) => d.id === id);
          if (o) o.detail = `gone after ${formatMs(ctx.clock.now() - t0)}`;
        } else {
          lastState.set(id, cur.state);
        }
      }
    } catch (e) {
      lastError = toFailure(e, plan.server).message;
    }
    if (ctx.clock.now() >= deadline) break;
  }
  steps.push({ label: `checked ${checks} time${checks === 1 ? '' : 's'} that the logged-off sessions are gone`, ms: ctx.clock.now() - t0 });
  for (const [id] of pending) {
    const o = done.find((d) => d.id === id);
    if (!o) continue;
    o.result = 'failed';
    o.detail = lastError
      ? `logoff requested, but could not check it: ${lastError}`
      : `logoff requested, but the session was still there after ${formatMs(ctx.settings.logoffVerifyMs)} (state ${lastState.get(id) ?? 'unknown'}); check with ${names.of('qwinsta')} ${plan.server} ${id}`;
    o.code = WIN32.CTX_CLOSE_PENDING;
  }
}

/** Re-reads each target, acts on those unchanged, and for a logoff checks that they are gone. */
export async function executePlan(ctx: UseCaseContext, plan: Plan, names: CommandNames = CONSOLE_NAMES): Promise<Execution> {
  const steps: Step[] = [];
  const outcomes: SessionOutcome[] = [];
  let current: Map<number, Session>;
  try {
    current = await reread(ctx, plan, steps);
  } catch (e) {
    const f = toFailure(e, plan.server);
    for (const s of plan.sessions) outcomes.push(outcome(s, 'failed', `not done: could not re-read it first: ${f.message}`, f.code));
    return { outcomes, steps, status: 'failed' };
  }
  for (const planned of plan.sessions) {
    const now = current.get(planned.id);
    if (!now) {
      outcomes.push(outcome(planned, 'skipped', `session ${planned.id} is gone already; nothing to do`));
      continue;
    }
    const change = changeSince(planned, now, plan, ctx.settings.timeZone);
    if (change) {
      outcomes.push(outcome(now, 'skipped', change));
      continue;
    }
    outcomes.push(await act(ctx, plan, now, steps));
  }
  const done = outcomes.filter((o) => o.result === 'done');
  if (plan.action === 'logoff' && done.length > 0) await verifyGone(ctx, plan, done, steps, names);
  const ok = outcomes.filter((o) => o.result === 'done').length;
  const status = ok === outcomes.length ? 'ok' : ok === 0 ? 'failed' : 'partial';
  return { outcomes, steps, status };
}
