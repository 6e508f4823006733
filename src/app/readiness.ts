import { access, constants } from 'node:fs/promises';
import type { StateStore } from '../core/ports/state-store.js';

/** One thing /readyz asks; `check` rejects (or throws) with the reason when it is not ready. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void> | void;
}

export interface ReadinessResult {
  name: string;
  /** Why it is not ready; undefined when it is. */
  problem?: string;
}

/** Runs every check at once; one that does not answer within `timeoutMs` is failing. */
export async function runReadinessChecks(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<ReadinessResult[]> {
  return Promise.all(
    checks.map(async (c): Promise<ReadinessResult> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
      try {
        await Promise.race([Promise.resolve().then(() => c.check()), late]);
        return { name: c.name };
      } catch (e) {
        return { name: c.name, problem: e instanceof Error ? e.message : String(e) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

/** The state store answers (always, in memory; Redis must answer a PING). */
export function stateStoreReadiness(store: StateStore): ReadinessCheck {
  return { name: 'state store', check: () => store.ping() };
}

/** The audit file can be appended to: without it the bot refuses every request. */
export function auditFileReadiness(path: string): ReadinessCheck {
  return {
    name: 'audit file',
    async check() {
      try {
        await access(path, constants.W_OK);
      } catch (e) {
        throw new Error(`${path} is not writable (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
    },
  };
}

/** A chat connection, as its adapter reports it: true when up, or a sentence saying why not. */
export function chatReadiness(name: string, status: () => true | string): ReadinessCheck {
  return {
    name: `${name} connection`,
    check() {
      const s = status();
      if (s !== true) throw new Error(s);
    },
  };
}
