import { MirroredAudit } from '../../adapters/shared/mirrored-audit.js';
import type { AuditRecord, AuditSink } from '../../src/core/audit.js';
import { Bot } from '../../src/core/bot.js';
import type { Caller } from '../../src/core/caller.js';
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { IdentityResolver } from '../../src/core/ports/identity.js';
import { Policy } from '../../src/core/policy/policy.js';
import { DEFAULT_SETTINGS, type BotSettings } from '../../src/core/settings.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import type { SessionBackend } from '../../src/wts/backend.js';
import { SimulatedFleet, type SimulatedFleetOptions } from '../../src/wts/simulated/fleet.js';

/** Keeps audit records in memory; `failWith` makes every append reject, like a full disk. */
export class MemoryAudit implements AuditSink {
  readonly records: AuditRecord[] = [];
  failWith: Error | undefined;

  async append(record: AuditRecord): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.records.push(record);
  }

  decisions(): string[] {
    return this.records.map((r) => (r.phase ? `${r.decision}/${r.phase}` : r.decision));
  }
}

/** Time that only moves when the bot sleeps or the test says so. */
export class ManualClock implements Clock {
  constructor(public t = Date.parse('2026-11-25T09:00:00Z')) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const FULL_ACCESS = {
  serverGroups: { farm: ['rds01', 'rds02', 'rds03', 'rds04', 'rds05', 'rds06'] },
  roles: {
    admins: {
      grants: [{ actions: ['*'], servers: ['*'] }],
      members: { consoleUsers: ['root'], slackUsers: ['UADMIN1'], discordRoles: ['111111111111111111'] },
    },
    helpdesk: {
      grants: [
        { actions: ['query', 'message', 'disconnect'], servers: ['@farm'] },
        { actions: ['logoff'], servers: ['rds04', 'server0?'] },
      ],
      members: { consoleUsers: ['alice'], slackUserGroups: ['SHELPDESK'], discordUsers: ['222222222222222222'] },
    },
    juniors: {
      grants: [{ actions: ['query'], servers: ['rds01'] }],
      members: { consoleUsers: ['bob'] },
    },
  },
};

export interface Harness {
  bot: Bot;
  fleet: SimulatedFleet;
  audit: MemoryAudit;
  /** The bot's audit sink: the memory records, plus any mirrors an adapter adds (audit channels). */
  mirror: MirroredAudit;
  clock: ManualClock;
  as(user: string): Caller;
  run(user: string, line: string): ReturnType<Bot['handle']>;
}

export interface HarnessOptions {
  access?: unknown;
  settings?: Partial<BotSettings>;
  fleet?: SimulatedFleetOptions;
  /** Puts something between the bot and the fleet (a recorder, a fault injector). */
  wrapBackend?: (fleet: SimulatedFleet) => SessionBackend;
  log?: Logger;
  identity?: IdentityResolver;
}

/** Keeps what the bot logs, by level. */
export class MemoryLog implements Logger {
  readonly lines: string[] = [];
  info(m: string): void {
    this.lines.push(`info ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error ${m}`);
  }
}

export function makeHarness(opts: HarnessOptions = {}): Harness {
  const clock = new ManualClock();
  const fleet = new SimulatedFleet({ latencyMs: 0, logoffDelayMs: 0, now: () => clock.now(), ...opts.fleet });
  const audit = new MemoryAudit();
  const mirror = new MirroredAudit(audit);
  let n = 0;
  const bot = new Bot({
    backend: opts.wrapBackend ? opts.wrapBackend(fleet) : fleet,
    policy: new Policy(buildAccessModel(opts.access ?? FULL_ACCESS)),
    audit: mirror,
    clock,
    newId: () => `id${++n}`,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.identity ? { identity: opts.identity } : {}),
    settings: { ...DEFAULT_SETTINGS, timeZone: 'UTC', logoffPollMs: 100, logoffVerifyMs: 2000, ...opts.settings },
  });
  const as = (user: string): Caller => ({ platform: 'console', userId: user, userName: user, groups: [], channel: 'test' });
  const run = (user: string, line: string): ReturnType<Bot['handle']> => {
    const space = line.indexOf(' ');
    const verb = space < 0 ? line : line.slice(0, space);
    return bot.handle({ caller: as(user), verb, text: space < 0 ? '' : line.slice(space + 1) });
  };
  return { bot, fleet, audit, mirror, clock, as, run };
}
