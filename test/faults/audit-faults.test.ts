import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlFileAudit } from '../../src/audit/jsonl-file-audit.js';
import type { AuditRecord, AuditSink } from '../../src/core/audit.js';
import { Bot } from '../../src/core/bot.js';
import { Policy } from '../../src/core/policy/policy.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import { SimulatedFleet } from '../../src/wts/simulated/fleet.js';
import { FULL_ACCESS } from '../support/core-harness.js';

const root = { platform: 'console' as const, userId: 'root', userName: 'root', groups: [] };

function botWith(audit: AuditSink, fleet = new SimulatedFleet({ latencyMs: 0, logoffDelayMs: 0 })): { bot: Bot; fleet: SimulatedFleet } {
  const bot = new Bot({ backend: fleet, policy: new Policy(buildAccessModel(FULL_ACCESS)), audit, settings: { ...DEFAULT_SETTINGS, logoffPollMs: 5 } });
  return { bot, fleet };
}

describe('audit faults: nothing acts unaudited', () => {
  it('a full disk (/dev/full: ENOSPC) refuses the action and leaves the session alone', async () => {
    const { bot, fleet } = botWith(new JsonlFileAudit('/dev/full'));
    const r = await bot.handle({ caller: root, verb: 'rwinsta', text: 'rds01 6' });
    expect(r.status).toBe('failed');
    expect(r.summary).toMatch(/^Refused: the audit log could not be written \(ENOSPC: no space left on device.*so the action was not performed\.$/);
    expect((await fleet.querySession('rds01', 6)).state).toBe('Disconnected');
  });
  it('an unwritable audit file refuses a confirmation before it is offered', async () => {
    const { bot } = botWith(new JsonlFileAudit(mkdtempSync(join(tmpdir(), 'rwinsta-auditdir-'))));
    const r = await bot.handle({ caller: root, verb: 'rwinsta', text: 'rds01 3' });
    expect(r.status).toBe('failed');
    expect(r.confirmation).toBeUndefined();
    expect(r.summary).toMatch(/EISDIR/);
  });
  it('if the file breaks between intent and outcome, the action stands and the user is warned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rwinsta-audit-'));
    const file = new JsonlFileAudit(join(dir, 'audit.jsonl'));
    let writes = 0;
    const flaky: AuditSink = {
      append: async (rec: AuditRecord) => {
        if (++writes >= 2) throw new Error('EIO: i/o error');
        await file.append(rec);
      },
    };
    const { bot, fleet } = botWith(flaky);
    const r = await bot.handle({ caller: root, verb: 'rwinsta', text: 'rds01 6' });
    expect(r.status).toBe('ok');
    expect(r.sections.some((s) => s.kind === 'text' && /outcome could not be written to the audit log \(EIO: i\/o error\)/.test(s.text))).toBe(true);
    await expect(fleet.querySession('rds01', 6)).rejects.toMatchObject({ code: 7022 });
    const lines = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as AuditRecord).phase)).toEqual(['intent']);
  });
});
