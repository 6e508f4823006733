import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/core/caller.js';
import type { Reply } from '../../src/core/results.js';
import { MemoryLog, makeHarness } from '../support/core-harness.js';

function confirmationId(r: Reply): string {
  if (!r.confirmation) throw new Error(`expected a confirmation, got ${r.status}: ${r.summary}`);
  return r.confirmation.id;
}

/** A console caller whose display name differs from their ID (the ID is what the policy reads). */
const person = (userId: string, userName: string): Caller => ({ platform: 'console', userId, userName, groups: [], channel: 'test' });

describe('asking', () => {
  it('the prompt is audited with what would be done, to which sessions, and that nothing was yet', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    expect(h.audit.records).toHaveLength(1);
    expect(h.audit.records[0]).toMatchObject({
      decision: 'confirmation-requested',
      confirmationId: confirmationId(ask),
      action: 'logoff',
      server: 'rds01',
      targets: [{ server: 'rds01', id: 3, user: 'CORP\\jdoe', state: 'Active' }],
      outcome: 'not-performed',
      command: '/rwinsta rds01 3',
    });
    expect(await h.bot.pendingConfirmations()).toBe(1);
  });
  it('a prompt that cannot be audited is withdrawn: nothing pending, nothing will be done', async () => {
    const h = makeHarness();
    h.audit.failWith = new Error('EACCES');
    const ask = await h.run('root', 'rwinsta rds01 3');
    expect(ask).toMatchObject({ status: 'failed', summary: 'Refused: the audit log could not be written (EACCES), so nothing will be done.' });
    expect(await h.bot.pendingConfirmations()).toBe(0);
  });
});

describe('a press by someone else', () => {
  it('confirming is refused and audited as a denial naming who may confirm', async () => {
    const h = makeHarness();
    const ask = await h.bot.handle({ caller: person('root', 'Root Admin'), verb: 'rwinsta', text: 'rds01 3' });
    const id = confirmationId(ask);
    const r = await h.bot.confirm(id, person('alice', 'Alice'));
    expect(r).toMatchObject({ status: 'denied', private: true, summary: 'Only Root Admin can confirm this; nothing was done.' });
    expect(h.audit.records.at(-1)).toMatchObject({
      decision: 'denied',
      userId: 'alice',
      command: `confirm ${id}`,
      confirmationId: id,
      action: 'logoff',
      server: 'rds01',
      detail: 'only Root Admin may confirm',
      outcome: 'not-performed',
    });
  });
  it('a requester without a display name is named by their ID', async () => {
    const h = makeHarness();
    const ask = await h.bot.handle({ caller: person('root', ''), verb: 'rwinsta', text: 'rds01 3' });
    const r = await h.bot.confirm(confirmationId(ask), person('alice', 'Alice'));
    expect(r.summary).toBe('Only root can confirm this; nothing was done.');
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'denied', detail: 'only root may confirm' });
  });
  it('cancelling is refused and audited as a denial too; the confirmation stays for its requester', async () => {
    const h = makeHarness();
    const ask = await h.bot.handle({ caller: person('root', 'Root Admin'), verb: 'rwinsta', text: 'rds01 3' });
    const id = confirmationId(ask);
    const r = await h.bot.cancel(id, person('alice', 'Alice'));
    expect(r).toMatchObject({ status: 'denied', private: true, summary: 'Only Root Admin can cancel this.' });
    expect(h.audit.records.at(-1)).toMatchObject({
      decision: 'denied',
      userId: 'alice',
      command: `cancel ${id}`,
      confirmationId: id,
      action: 'logoff',
      server: 'rds01',
      detail: 'only Root Admin may cancel',
      outcome: 'not-performed',
    });
    expect((await h.bot.cancel(id, person('root', 'Root Admin'))).status).toBe('cancelled');
  });
});

describe('cancelling', () => {
  it('is audited with the original command and what was not done', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    const r = await h.bot.cancel(confirmationId(ask), h.as('root'));
    expect(r).toMatchObject({ status: 'cancelled', summary: 'Cancelled: log off session 3 (CORP\\jdoe, Active) on rds01 was not done.' });
    expect(h.audit.records.at(-1)).toMatchObject({
      decision: 'cancelled',
      command: '/rwinsta rds01 3',
      confirmationId: confirmationId(ask),
      action: 'logoff',
      server: 'rds01',
      targets: [{ server: 'rds01', id: 3 }],
      outcome: 'not-performed',
    });
    expect(await h.bot.pendingConfirmations()).toBe(0);
  });
  it('a second cancel, or one of an unknown confirmation, says it was already used', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    await h.bot.cancel(confirmationId(ask), h.as('root'));
    const again = await h.bot.cancel(confirmationId(ask), h.as('root'));
    expect(again).toMatchObject({ status: 'expired', private: true, summary: 'This confirmation was already used, cancelled or has expired.' });
    expect(h.audit.records.at(-1)).toMatchObject({
      decision: 'denied',
      command: `cancel ${confirmationId(ask)}`,
      confirmationId: confirmationId(ask),
      detail: 'cancel refused: the confirmation was already used, cancelled or expired',
      outcome: 'not-performed',
    });
    expect((await h.bot.cancel('nope', h.as('root'))).summary).toBe('This confirmation was already used, cancelled or has expired.');
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'denied', confirmationId: 'nope', outcome: 'not-performed' });
  });
  it('a late cancel says it expired, and the expiry is audited', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    h.clock.advance(120_000);
    const r = await h.bot.cancel(confirmationId(ask), h.as('root'));
    expect(r).toMatchObject({ status: 'expired', summary: 'Expired: log off session 3 (CORP\\jdoe, Active) on rds01 was not confirmed within 2 min; nothing was done.' });
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'expired', command: '/rwinsta rds01 3', confirmationId: confirmationId(ask), action: 'logoff', server: 'rds01', outcome: 'not-performed' });
  });
});

describe('confirming what is gone', () => {
  it('an unknown or used confirmation says so and that nothing was done', async () => {
    const h = makeHarness();
    const r = await h.bot.confirm('nope', h.as('root'));
    expect(r).toMatchObject({ status: 'expired', private: true, summary: 'This confirmation was already used, cancelled or has expired; nothing was done. Run the command again if it is still needed.' });
    // Every press is on the record, a refused one too.
    expect(h.audit.records.at(-1)).toMatchObject({
      decision: 'denied',
      command: 'confirm nope',
      confirmationId: 'nope',
      detail: 'confirm refused: the confirmation was already used, cancelled or expired',
      outcome: 'not-performed',
    });
  });
  it('a double click acts once, and the second press is refused and audited', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    const id = confirmationId(ask);
    const [a, b] = await Promise.all([h.bot.confirm(id, h.as('root')), h.bot.confirm(id, h.as('root'))]);
    expect([a.status, b.status].sort()).toEqual(['expired', 'ok']);
    expect(h.audit.records.filter((r) => r.confirmationId === id && r.decision === 'denied')).toHaveLength(1);
    expect(h.audit.records.filter((r) => r.confirmationId === id && r.decision === 'confirmed' && r.phase !== 'intent')).toHaveLength(1);
  });
});

describe('expiry', () => {
  it('the sweep audits each expiry with the original request and command', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    h.clock.advance(120_000);
    const [e] = await h.bot.sweepExpired();
    expect(e?.id).toBe(confirmationId(ask));
    expect(e?.requester).toMatchObject({ userId: 'root' });
    expect(e?.reply.summary).toMatch(/^Expired: log off session 3/);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'expired', requestId: ask.requestId, command: '/rwinsta rds01 3', targets: [{ id: 3 }], outcome: 'not-performed' });
    expect(await h.bot.pendingConfirmations()).toBe(0);
  });
  it('a listener that throws is logged and the others still hear of it', async () => {
    const log = new MemoryLog();
    const h = makeHarness({ log });
    const ask = await h.run('root', 'rwinsta rds01 3');
    const heard: string[] = [];
    h.bot.onConfirmationExpired(() => {
      throw new Error('chat is down');
    });
    h.bot.onConfirmationExpired((e) => heard.push(e.id));
    h.clock.advance(120_000);
    expect(await h.bot.sweepExpired()).toHaveLength(1);
    expect(heard).toEqual([confirmationId(ask)]);
    expect(log.lines).toEqual([`warn confirmation ${confirmationId(ask)}: an expiry listener failed (chat is down)`]);
  });
  it('a listener that unsubscribed hears nothing more', async () => {
    const h = makeHarness();
    const heard: string[] = [];
    const stop = h.bot.onConfirmationExpired((e) => heard.push(e.id));
    await h.run('root', 'rwinsta rds01 3');
    stop();
    h.clock.advance(120_000);
    expect(await h.bot.sweepExpired()).toHaveLength(1);
    expect(heard).toEqual([]);
  });
});
