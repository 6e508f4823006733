import { afterEach, describe, expect, it } from 'vitest';
import type { SessionBackend } from '../../src/wts/backend.js';
import type { Session } from '../../src/wts/session.js';
import { admin, bodyText, opt, startDiscordRig, type DiscordRig } from '../discord/discord-harness.js';
import { messageText, startSlackRig, type SlackRig } from './slack-harness.js';

/** One server (rds02) answers only when released: the rest of the search is done long before. */
function holding(hold: { release?: () => void }) {
  return (inner: SessionBackend): SessionBackend =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop !== 'listSessions') return Reflect.get(target, prop, receiver);
        return async (server: string): Promise<Session[]> => {
          if (server === 'rds02') await new Promise<void>((resolve) => (hold.release = resolve));
          return target.listSessions(server);
        };
      },
    });
}

describe('Slack: a slow search shows its matches as they arrive, in one message updated', () => {
  let rig: SlackRig;
  afterEach(async () => rig.stop());

  it('first match before the slow server answers; at most one update a second; the last version is the whole answer', async () => {
    const hold: { release?: () => void } = {};
    rig = await startSlackRig({ harness: { wrapBackend: holding(hold) } });
    const t0 = Date.now();
    const cmd = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'jdoe', user_id: 'UADMIN1' });
    await expect.poll(() => rig.emu.api.messagesIn('C0HELPDESK').length, { timeout: 10_000 }).toBe(1);
    const live = rig.emu.api.messagesIn('C0HELPDESK')[0];
    const early = messageText({ text: live?.versions.at(-1)?.text, blocks: live?.versions.at(-1)?.blocks });
    expect(early).toMatch(/jdoe: 1 session so far; \d+ of 13 servers answered, still searching…/);
    expect(early).toMatch(/rds01\s+RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/);
    hold.release?.();
    await expect.poll(() => messageText({ text: live?.versions.at(-1)?.text, blocks: live?.versions.at(-1)?.blocks }), { timeout: 10_000 }).toMatch(/jdoe: 2 sessions on 2 servers \(2 of 13 servers did not answer\)\./);
    const seconds = (Date.now() - t0) / 1000;
    expect(live?.versions.length).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
    // The answer took the message's place: nothing more on the response_url.
    expect(rig.emu.api.responses.get(cmd.responseId) ?? []).toEqual([]);
  });

  it('a quick search is answered as any command, on its response_url', async () => {
    rig = await startSlackRig();
    const cmd = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'jdoe', user_id: 'UADMIN1' });
    expect(messageText((await rig.emu.waitForResponses(cmd.responseId))[0])).toMatch(/jdoe: 2 sessions on 2 servers/);
    expect(rig.emu.api.messagesIn('C0HELPDESK')).toEqual([]);
  });
});

describe('Discord: a search edits its reply as servers answer', () => {
  let rig: DiscordRig;
  afterEach(async () => rig.stop());

  it('the first match shows before the slow server answers; the final edit is the whole answer', async () => {
    const hold: { release?: () => void } = {};
    rig = await startDiscordRig({ harness: { wrapBackend: holding(hold) } });
    const i = rig.emu.command('qwinsta', [opt.s('user', 'jdoe')], admin);
    const [first] = await rig.emu.waitForEdits(i.token);
    expect(bodyText(first)).toMatch(/jdoe: 1 session so far; \d+ of 13 servers answered, still searching…/);
    hold.release?.();
    const edits = await rig.emu.waitForEdits(i.token, 2);
    expect(bodyText(edits.at(-1))).toMatch(/jdoe: 2 sessions on 2 servers \(2 of 13 servers did not answer\)\./);
    expect(bodyText(edits.at(-1))).toMatch(/rds02\s+CORP\\jdoe\s+5\s+Disc/);
  });
});
