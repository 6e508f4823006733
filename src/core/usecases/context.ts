import type { SessionBackend } from '../../wts/backend.js';
import { isWtsError } from '../../wts/errors.js';
import type { Clock } from '../clock.js';
import type { Policy } from '../policy/policy.js';
import type { ServerFailure, Step } from '../results.js';
import type { BotSettings } from '../settings.js';

/** What every use case may use. */
export interface UseCaseContext {
  backend: SessionBackend;
  policy: Policy;
  clock: Clock;
  settings: BotSettings;
}

/** A failure as the operator should read it; bugs become "internal error" without a stack trace. */
export function toFailure(e: unknown, server: string): ServerFailure {
  if (isWtsError(e)) return { server, code: e.code, message: e.message };
  const text = e instanceof Error ? e.message : String(e);
  return { server, code: 0, message: `${server}: internal error: ${text}` };
}

/** Times one backend call into `steps`. */
export async function timed<T>(ctx: UseCaseContext, steps: Step[], label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = ctx.clock.now();
  try {
    return await fn();
  } finally {
    steps.push({ label, ms: ctx.clock.now() - t0 });
  }
}
