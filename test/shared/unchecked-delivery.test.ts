import { describe, expect, it } from 'vitest';
import { actsOnSessions, refuseUnchecked, uncheckedMayProceed } from '../../adapters/shared/unchecked-delivery.js';
import { StateUnavailable } from '../../src/core/index.js';
import { makeHarness, MemoryLog } from '../support/core-harness.js';

describe('a delivery the replay guard could not check (the state store is away)', () => {
  it('goes on when it only reads, or when its own claim needs the store; a command that would act does not', () => {
    for (const verb of ['qwinsta', '/qwinsta', 'quser', 'query user', 'help', 'frobnicate', '']) expect(uncheckedMayProceed('command', verb), verb).toBe(true);
    for (const verb of ['rwinsta', '/rwinsta', 'reset session', 'logoff', 'tsdiscon', 'msg', '/msg']) expect(uncheckedMayProceed('command', verb), verb).toBe(false);
    expect(uncheckedMayProceed('button')).toBe(true);
    expect(uncheckedMayProceed('autocomplete')).toBe(true);
    expect(actsOnSessions('TSDISCON')).toBe(true);
  });

  it('is refused with the sentence every refusal for want of the store has, privately, and audited as failed and not performed', async () => {
    const h = makeHarness();
    const log = new MemoryLog();
    const caller = { platform: 'slack' as const, userId: 'UADMIN1', userName: 'alice', groups: [], channel: 'C0HELPDESK' };
    const error = new StateUnavailable('state store (Redis at redis://r:6379/0) unavailable during mark: no answer within 1500 ms');
    const reply = await refuseUnchecked({ bot: h.bot, audit: h.mirror, log, caller, command: '/rwinsta rds01 3 /f', error });
    expect(reply).toMatchObject({ status: 'failed', private: true, simulated: true });
    expect(reply.summary).toBe(`Refused: the shared state store cannot be reached (${error.message}), so nothing was done.`);
    expect(reply.sections).toEqual([{ kind: 'text', text: 'Actions and confirmations wait for it (RWINSTA_STATE_URL); queries still answer. It recovers by itself when the store is back: try again in a moment.' }]);
    expect(h.audit.records).toHaveLength(1);
    expect(h.audit.records[0]).toMatchObject({
      requestId: reply.requestId,
      platform: 'slack',
      userId: 'UADMIN1',
      userName: 'alice',
      channel: 'C0HELPDESK',
      command: '/rwinsta rds01 3 /f',
      verb: 'rwinsta',
      decision: 'failed',
      outcome: 'not-performed',
      detail: `state store unavailable, so the delivery could not be checked against a repeat: ${error.message}`,
    });
    h.audit.failWith = new Error('ENOSPC: no space left on device');
    await refuseUnchecked({ bot: h.bot, audit: h.mirror, log, caller, command: '/tsdiscon rds01 3', error });
    expect(log.lines).toEqual([expect.stringMatching(/^error audit: could not write the refusal of request \S+ \(ENOSPC: no space left on device\); command: \/tsdiscon rds01 3$/)]);
  });
});
