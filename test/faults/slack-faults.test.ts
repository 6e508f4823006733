import { afterEach, describe, expect, it } from 'vitest';
import { CONFIRM_ACTION } from '../../adapters/slack/blocks.js';
import { HTTP_PATH } from '../../adapters/slack/slack-adapter.js';
import { blockActionsPayload, slashCommandPayload } from '../emulators/slack/payloads.js';
import { signSlackRequest } from '../emulators/slack/signing.js';
import type { StoredMessage } from '../emulators/slack/slack-emulator.js';
import { buttonValue, messageText, startSlackRig, type SlackRig } from '../slack/slack-harness.js';

const asJson = (m: StoredMessage): Record<string, unknown> => ({ text: m.text, blocks: m.blocks });
const ENV1 = '11111111-1111-4111-8111-111111111111';
const ENV2 = '22222222-2222-4222-8222-222222222222';
const settle = (ms = 300): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function promptIn(rig: SlackRig): Promise<StoredMessage> {
  await expect.poll(() => rig.emu.api.messagesIn('C0HELPDESK').length).toBe(1);
  return rig.emu.api.messagesIn('C0HELPDESK')[0] as StoredMessage;
}

describe('Slack faults: nothing acts twice, nothing acts unaudited, the bot survives', () => {
  let rig: SlackRig;
  afterEach(async () => rig.stop());

  it('the socket drops mid-confirmation: after the reconnect the press acts once, and a second press is refused', async () => {
    rig = await startSlackRig();
    rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UADMIN1', user_name: 'alice' });
    const prompt = await promptIn(rig);
    rig.emu.dropSocket();
    // Bolt's client reconnects by itself through a fresh apps.connections.open.
    await rig.emu.connected(2);
    expect(rig.emu.callsTo('apps.connections.open').length).toBeGreaterThanOrEqual(2);
    const id = buttonValue(asJson(prompt), CONFIRM_ACTION);
    const press = rig.emu.sendButton({ user_id: 'UADMIN1', user_name: 'alice', action_id: CONFIRM_ACTION, value: id, message_ts: prompt.ts });
    expect(messageText((await rig.emu.waitForResponses(press.responseId))[0])).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01/);
    const again = rig.emu.sendButton({ user_id: 'UADMIN1', user_name: 'alice', action_id: CONFIRM_ACTION, value: id, message_ts: prompt.ts });
    expect(messageText((await rig.emu.waitForResponses(again.responseId))[0])).toMatch(/already used, cancelled or has expired; nothing was done/);
    expect(rig.h.audit.records.filter((r) => r.phase === 'intent')).toHaveLength(1);
    expect(rig.h.audit.records.filter((r) => r.phase === 'outcome')).toHaveLength(1);
  }, 60_000);

  it('a replayed slash command (same trigger, new or same envelope) is acked and acts once', async () => {
    rig = await startSlackRig();
    const { id, url } = rig.emu.newResponseUrl();
    const payload = slashCommandPayload({ command: '/rwinsta', text: 'rds01 6 /f', user_id: 'UADMIN1' }, url);
    await rig.emu.socket.send('slash_commands', payload, true, ENV1);
    expect(messageText((await rig.emu.waitForResponses(id))[0])).toMatch(/Logged off session 6 \(CORP\\bwayne\) on rds01/);
    // A redelivery under a new envelope, and the very same envelope again: both acked, neither acts.
    await rig.emu.socket.send('slash_commands', payload, true, ENV2);
    await rig.emu.socket.send('slash_commands', payload, true, ENV1);
    await settle();
    expect(rig.emu.api.responses.get(id)).toHaveLength(1);
    expect(rig.emu.socket.unacked()).toEqual([]);
    expect(rig.h.audit.records.filter((r) => r.phase === 'intent')).toHaveLength(1);
    expect(rig.logs.join('\n')).toMatch(/\/rwinsta from UADMIN1 delivered again \(trigger .+\); ignored/);
  });

  it('a replayed button press acts once and posts nothing more', async () => {
    rig = await startSlackRig();
    rig.emu.sendSlashCommand({ command: '/tsdiscon', text: 'rds01 3', user_id: 'UADMIN1' });
    const prompt = await promptIn(rig);
    const { id, url } = rig.emu.newResponseUrl();
    const payload = blockActionsPayload({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: buttonValue(asJson(prompt), CONFIRM_ACTION), message_ts: prompt.ts }, url);
    await rig.emu.socket.send('interactive', payload, false);
    expect(messageText((await rig.emu.waitForResponses(id))[0])).toMatch(/Disconnected session 3/);
    await rig.emu.socket.send('interactive', payload, false);
    await settle();
    expect(rig.emu.api.responses.get(id)).toHaveLength(1);
    expect(rig.h.audit.records.filter((r) => r.phase === 'outcome')).toHaveLength(1);
  });

  it('a signed HTTP request replayed inside the five-minute window gets 200 and acts once', async () => {
    const secret = 'emulator-signing-secret';
    rig = await startSlackRig({ config: { mode: 'http', signingSecret: secret, appToken: undefined, port: 0 } });
    const endpoint = `http://127.0.0.1:${rig.adapter.httpPort}${HTTP_PATH}`;
    const { id, url } = rig.emu.newResponseUrl();
    const body = new URLSearchParams(slashCommandPayload({ command: '/rwinsta', text: 'rds01 6 /f', user_id: 'UADMIN1' }, url)).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(secret, body) };
    expect((await fetch(endpoint, { method: 'POST', headers, body })).status).toBe(200);
    await rig.emu.waitForResponses(id);
    expect((await fetch(endpoint, { method: 'POST', headers, body })).status).toBe(200);
    await settle();
    expect(rig.emu.api.responses.get(id)).toHaveLength(1);
    expect(rig.h.audit.records.filter((r) => r.phase === 'intent')).toHaveLength(1);
  });

  it('malformed and unexpected socket frames are survived: the next command is answered', async () => {
    rig = await startSlackRig();
    rig.emu.socket.sendRaw('this is not JSON');
    rig.emu.socket.sendRaw(JSON.stringify({ type: 'slash_commands' }));
    rig.emu.socket.sendRaw(JSON.stringify({ type: 'something_new', envelope_id: 'x1', payload: {} }));
    rig.emu.socket.sendRaw(JSON.stringify([1, 2, 3]));
    // Envelopes whose payloads lack what a command or a press needs: acked, logged, and nothing acts.
    await rig.emu.socket.send('slash_commands', { command: '/rwinsta', text: 'rds01 6 /f' }, true);
    await rig.emu.socket.send('interactive', { type: 'block_actions', user: { id: 'UADMIN1' }, actions: [{ type: 'button', action_id: CONFIRM_ACTION }] }, false);
    // One with no user at all fails inside Bolt before any listener could ack it: logged, never acted on.
    void rig.emu.socket.send('interactive', { type: 'block_actions', actions: [] }, false);
    await settle();
    const logged = rig.logs.join('\n');
    expect(logged).toMatch(/ignored a malformed slash command without user_id, channel_id, response_url, trigger_id/);
    expect(logged).toMatch(/ignored a malformed button press without response_url, trigger_id/);
    const list = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    expect(messageText((await rig.emu.waitForResponses(list.responseId))[0])).toMatch(/rds02: 4 sessions/);
    expect(rig.emu.socket.connections).toBe(1);
    expect(rig.h.audit.records.filter((r) => r.phase === 'intent')).toHaveLength(0);
  });
});
