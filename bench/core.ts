import { performance } from 'node:perf_hooks';
import type { AuditRecord, AuditSink } from '../src/core/audit.js';
import { Bot } from '../src/core/bot.js';
import type { Caller } from '../src/core/caller.js';
import { CONSOLE_NAMES } from '../src/core/command-names.js';
import type { ParseContext } from '../src/core/grammar/command.js';
import { parseCommand } from '../src/core/grammar/parse.js';
import { Policy } from '../src/core/policy/policy.js';
import { renderText } from '../src/core/render/text.js';
import { DEFAULT_SETTINGS } from '../src/core/settings.js';
import { buildAccessModel } from '../src/config/access-file.js';
import { SimulatedFleet } from '../src/wts/simulated/fleet.js';

export interface CoreBenchResult {
  /** parse + authorize + render of a usage-free command, no backend: the grammar and policy cost. */
  parseAuthorizeRenderPerSecond: number;
  /** bot.handle end to end on an in-memory fleet and audit: what one core instance can serve. */
  handlePerSecond: number;
  commands: number;
}

const LINES: [string, string][] = [
  ['qwinsta', 'rds01'],
  ['rwinsta', '/server:rds02 RDP-Tcp#7 /v'],
  ['rwinsta', 'rds04 /disc'],
  ['qwinsta', 'rds01 jdoe'],
  ['tsdiscon', 'rds01 3'],
  ['msg', 'rds01 3 Please save your work'],
  ['rwinsta', 'server01 3 /v'],
  ['qwinsta', 'rds03 /state:disc'],
];

const ACCESS = {
  serverGroups: { farm: ['rds01', 'rds02', 'rds03', 'rds04'] },
  roles: {
    helpdesk: { grants: [{ actions: ['query', 'message', 'disconnect', 'logoff'], servers: ['@farm', 'server0?'] }], members: { slackUserGroups: ['SHELPDESK'] } },
  },
};

class NullAudit implements AuditSink {
  count = 0;
  async append(_r: AuditRecord): Promise<void> {
    this.count++;
  }
}

export async function runCoreBench(opts: { commands: number }): Promise<CoreBenchResult> {
  const policy = new Policy(buildAccessModel(ACCESS));
  const caller: Caller = { platform: 'slack', userId: 'U1', userName: 'alice', groups: ['SHELPDESK'] };
  const known = ['rds01', 'rds02', 'rds03', 'rds04', 'server01'];
  const ctx: ParseContext = { isKnownServer: (n) => known.includes(n.toLowerCase()), acceptsAnyServer: false, knownServers: known, knownDomains: new Set(), names: CONSOLE_NAMES, groups: [] };

  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < opts.commands; i++) {
    const [verb, text] = LINES[i % LINES.length] as [string, string];
    const r = parseCommand(verb, text, ctx);
    if (r.ok && 'server' in r.command && r.command.server !== undefined) {
      const d = policy.authorize(caller, r.command.kind === 'list' ? 'query' : 'logoff', r.command.server);
      sink += d.allowed ? 1 : 0;
    }
    sink += renderText({ status: 'ok', summary: `${verb} ${text}`, sections: [], private: false, simulated: true, requestId: 'r' }).length;
  }
  const pure = opts.commands / ((performance.now() - t0) / 1000);

  const fleet = new SimulatedFleet({ latencyMs: 0 });
  let n = 0;
  const bot = new Bot({ backend: fleet, policy, audit: new NullAudit(), settings: DEFAULT_SETTINGS, newId: () => `r${++n}` });
  const handleCommands = Math.max(1000, Math.floor(opts.commands / 5));
  const t1 = performance.now();
  for (let i = 0; i < handleCommands; i++) {
    const reply = await bot.handle({ caller, verb: 'qwinsta', text: i % 2 ? 'rds01' : 'rds03 mkhan' });
    sink += renderText(reply).length;
  }
  const handled = handleCommands / ((performance.now() - t1) / 1000);
  if (sink < 0) throw new Error('unreachable');
  return { parseAuthorizeRenderPerSecond: Math.round(pure), handlePerSecond: Math.round(handled), commands: opts.commands };
}
