import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/results.js';
import { makeHarness } from '../support/core-harness.js';

function confirmationId(r: Reply): string {
  if (!r.confirmation) throw new Error(`expected a confirmation, got ${r.status}: ${r.summary}`);
  return r.confirmation.id;
}

/** The session IDs the last audit record names as targets. */
function auditedTargets(h: ReturnType<typeof makeHarness>): number[] {
  return (h.audit.records.at(-1)?.targets ?? []).map((t) => t.id);
}

describe('through the bot: the sessions a plan holds are exactly the ones the command names', () => {
  it('a user with a domain resolves to that user\'s session', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 CORP\\jdoe');
    expect(ask.summary).toBe('Confirm: log off session 3 (CORP\\jdoe, Active) on rds01?');
    expect(auditedTargets(h)).toEqual([3]);
  });
  it('a user wildcard that matches one user resolves to their session', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'tsdiscon rds01 pn*');
    expect(ask.summary).toBe('Confirm: disconnect session 4 (CORP\\pnguyen, Active) on rds01?');
  });
  it('msg * reaches every user session, and no system session or listener', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'msg rds01 * Reboot at six');
    expect(ask.summary).toBe('Confirm: send the message to 5 sessions on rds01?');
    expect(auditedTargets(h)).toEqual([2, 3, 4, 6, 7]);
    expect((await h.bot.confirm(confirmationId(ask), h.as('root'))).status).toBe('ok');
    expect(h.fleet.messages.map((m) => m.id)).toEqual([2, 3, 4, 6, 7]);
  });
  it('/disc holds the disconnected sessions only: the Active ones are never in the plan', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds04 /disc');
    expect(ask.summary).toBe('Confirm: log off 4 disconnected sessions on rds04?');
    expect(auditedTargets(h)).toEqual([3, 4, 5, 7]);
  });
  it('/all holds every user session', async () => {
    const h = makeHarness();
    await h.run('root', 'rwinsta rds04 /all');
    expect(auditedTargets(h)).toEqual([2, 3, 4, 5, 6, 7]);
  });
});
