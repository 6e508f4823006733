import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRM_ACTION } from '../../adapters/slack/blocks.js';
import { HTTP_PATH } from '../../adapters/slack/slack-adapter.js';
import { blockActionsPayload, slashCommandPayload } from '../emulators/slack/payloads.js';
import { signSlackRequest } from '../emulators/slack/signing.js';
import { buttonValue, messageText, startSlackRig, type SlackRig } from './slack-harness.js';

const SECRET = 'emulator-signing-secret';
const SLACK_ACK_DEADLINE_MS = 3000;
const FORM = 'application/x-www-form-urlencoded';

describe('Slack over HTTP: signed requests to the Request URL', () => {
  let rig: SlackRig;
  let url = '';
  beforeAll(async () => {
    rig = await startSlackRig({ config: { mode: 'http', signingSecret: SECRET, appToken: undefined, port: 0 } });
    url = `http://127.0.0.1:${rig.adapter.httpPort}${HTTP_PATH}`;
  });
  afterAll(async () => rig.stop());

  /** A slash command as Slack posts it: form fields, and where its answers will arrive. */
  const command = (text: string, commandName = '/qwinsta', user = 'UADMIN1'): { body: string; responseId: number } => {
    const { id, url: responseUrl } = rig.emu.newResponseUrl();
    return { body: new URLSearchParams(slashCommandPayload({ command: commandName, text, user_id: user }, responseUrl)).toString(), responseId: id };
  };
  const post = async (body: string, headers: Record<string, string>): Promise<{ status: number; body: string; ms: number }> => {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body });
    return { status: res.status, body: await res.text(), ms: performance.now() - t0 };
  };

  it('answers a correctly signed slash command with HTTP 200 at once, then posts on its response_url', async () => {
    const { body, responseId } = command('rds02');
    const res = await post(body, signSlackRequest(SECRET, body));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [msg] = await rig.emu.waitForResponses(responseId);
    expect(msg?.response_type).toBe('in_channel');
    expect(messageText(msg)).toMatch(/rds02: 4 sessions\./);
  });

  it('acts on a signed button press (a form with a JSON payload)', async () => {
    const cmd = command('rds01 3', '/rwinsta');
    expect((await post(cmd.body, signSlackRequest(SECRET, cmd.body))).status).toBe(200);
    await expect.poll(() => rig.emu.api.messagesIn('C0HELPDESK').length).toBe(1);
    const prompt = rig.emu.api.messagesIn('C0HELPDESK')[0];
    const press = rig.emu.newResponseUrl();
    const payload = blockActionsPayload({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: buttonValue({ ...prompt }, CONFIRM_ACTION), message_ts: prompt?.ts }, press.url);
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await post(form, signSlackRequest(SECRET, form));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [outcome] = await rig.emu.waitForResponses(press.id);
    expect(outcome?.replace_original).toBe(true);
    expect(messageText(outcome)).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01/);
  });

  it('acknowledges within the deadline while the backend is hung', async () => {
    rig.h.fleet.setHang('rds03', true);
    const sent = Array.from({ length: 10 }, () => command('rds03'));
    const answers = await Promise.all(sent.map((c) => post(c.body, signSlackRequest(SECRET, c.body))));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.ms).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    }
    for (const c of sent) expect(rig.emu.api.responses.get(c.responseId)).toEqual([]);
  });

  it('rejects a bad signature with 401, and acts on nothing', async () => {
    const { body, responseId } = command('rds01');
    expect((await post(body, signSlackRequest('not-the-secret', body))).status).toBe(401);
    // Signed for another body: a replayed signature does not carry over.
    const other = command('rds02');
    expect((await post(body, signSlackRequest(SECRET, other.body))).status).toBe(401);
    const audited = rig.h.audit.records.length;
    const list = command('rds02');
    await post(list.body, signSlackRequest(SECRET, list.body));
    await rig.emu.waitForResponses(list.responseId);
    expect(rig.emu.api.responses.get(responseId)).toEqual([]);
    expect(rig.h.audit.records).toHaveLength(audited + 1);
  });

  it('rejects a stale timestamp (more than 5 minutes old), even correctly signed', async () => {
    const { body, responseId } = command('rds01');
    const res = await post(body, signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60));
    expect(res.status).toBe(401);
    const list = command('rds02');
    await post(list.body, signSlackRequest(SECRET, list.body));
    await rig.emu.waitForResponses(list.responseId);
    expect(rig.emu.api.responses.get(responseId)).toEqual([]);
  });

  it('rejects a timestamp more than 5 minutes in the future, even correctly signed; one just inside the window is taken', async () => {
    const { body, responseId } = command('rds01');
    const res = await post(body, signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000) + 6 * 60));
    expect(res.status).toBe(401);
    expect(rig.logs.join('\n')).toMatch(/slack: refused a request to \/slack\/events: its timestamp is 3\d\d s in the future \(more than 300 s\)/);
    const near = command('rds02');
    expect((await post(near.body, signSlackRequest(SECRET, near.body, Math.floor(Date.now() / 1000) + 4 * 60))).status).toBe(200);
    await rig.emu.waitForResponses(near.responseId);
    expect(rig.emu.api.responses.get(responseId)).toEqual([]);
  });

  it('rejects a request with no signature at all', async () => {
    const { body } = command('rds01');
    expect((await post(body, {})).status).toBe(401);
  });
});
