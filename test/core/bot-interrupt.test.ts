import { describe, expect, it } from 'vitest';
import type { SimulatedFleet } from '../../src/wts/simulated/fleet.js';
import { makeHarness } from '../support/core-harness.js';

/** A fleet whose logoffs wait until the test lets them go. */
function holdLogoffs(fleet: SimulatedFleet): { fleet: SimulatedFleet; started: Promise<void>; release: () => void } {
  let release = (): void => undefined;
  let signalStarted = (): void => undefined;
  const started = new Promise<void>((resolve) => (signalStarted = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const logoff = fleet.logoff.bind(fleet);
  fleet.logoff = async (server, id) => {
    signalStarted();
    await gate;
    return logoff(server, id);
  };
  return { fleet, started, release };
}

describe('Bot.interruptInFlight: an action cut short still gets its outcome record', () => {
  it('writes an interrupted outcome for the action between its intent and its outcome', async () => {
    let held: ReturnType<typeof holdLogoffs> | undefined;
    const h = makeHarness({ wrapBackend: (f) => (held = holdLogoffs(f)).fleet });
    if (!held) throw new Error('the harness did not wrap the backend');
    const reply = h.run('root', 'rwinsta rds01 6');
    await held.started;
    expect(h.audit.decisions()).toEqual(['allowed/intent']);

    expect(await h.bot.interruptInFlight('interrupted by Ctrl-C at the console')).toBe(1);
    const [intent, interrupted] = h.audit.records;
    expect(interrupted).toMatchObject({
      requestId: intent?.requestId,
      decision: 'allowed',
      phase: 'outcome',
      outcome: 'interrupted',
      action: 'logoff',
      server: 'rds01',
      targets: intent?.targets,
      detail: 'interrupted by Ctrl-C at the console',
      userId: 'root',
    });

    held.release();
    expect((await reply).status).toBe('ok');
    expect(await h.bot.interruptInFlight('again')).toBe(0);
  });
  it('writes nothing when no action is running', async () => {
    const h = makeHarness();
    await h.run('root', 'qwinsta rds01');
    await h.run('root', 'rwinsta rds01 6');
    const before = h.audit.records.length;
    expect(await h.bot.interruptInFlight('Ctrl-C')).toBe(0);
    expect(h.audit.records).toHaveLength(before);
  });
});

describe('help touches nothing', () => {
  it('is shown even when the audit log cannot be written', async () => {
    const h = makeHarness();
    h.audit.failWith = new Error('EACCES: permission denied');
    const r = await h.run('root', 'help');
    expect(r.status).toBe('help');
    expect(r.summary).toBe('Commands:');
    const topic = await h.run('root', 'rwinsta /?');
    expect(topic.status).toBe('help');
    // Queries stay withheld: only help is exempt.
    expect((await h.run('root', 'qwinsta rds01')).summary).toMatch(/^Refused: the audit log could not be written/);
  });
});
