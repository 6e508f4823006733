import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRM_ACTION } from '../../adapters/slack/blocks.js';
import { SlackEmulator } from '../emulators/slack/slack-emulator.js';
import { buttonValue, messageText, startSlackRig, type SlackRig } from './slack-harness.js';

const SECRET = 'emulator-signing-secret';

describe('Slack over HTTP: signed requests to the Request URL', () => {
  let rig: SlackRig;
  let url = '';
  beforeAll(async () => {
    rig = await startSlackRig({ config: { mode: 'http', signingSecret: SECRET, port: 0 } });
    url = `http://127.0.0.1:${rig.adapter.httpPort}/slack/events`;
  });
  afterAll(async () => rig.stop());

  const command = (text: string, user = 'UADMIN1'): { body: string; responseId: number } => {
    const { id, url: responseUrl } = rig.emu.newResponseUrl();
    const body = new URLSearchParams({
      token: 'unused', team_id: 'T0EMU', team_domain: 'emulator', channel_id: 'C0HELPDESK', channel_name: 'helpdesk',
      user_id: user, user_name: user.toLowerCase(), command: '/qwinsta', text, api_app_id: 'A0RWINSTA', response_url: responseUrl, trigger_id: 't',
    }).toString();
    return { body, responseId: id };
  };
  const post = (body: string, headers: Record<string, string>, type = 'application/x-www-form-urlencoded') =>
    fetch(url, { method: 'POST', headers: { 'content-type': type, ...headers }, body });

  it('a correctly signed slash command is acknowledged, then answered on its response_url', async () => {
    const { body, responseId } = command('rds02');
    const res = await post(body, SlackEmulator.sign(SECRET, body));
    expect(res.status).toBe(200);
    const [msg] = await rig.emu.waitForResponses(responseId);
    expect(messageText(msg ?? {})).toMatch(/rds02: 4 sessions\./);
  });

  it('a button press arrives as a signed form with a JSON payload', async () => {
    const { id, url: responseUrl } = rig.emu.newResponseUrl();
    const cmd = new URLSearchParams({ team_id: 'T0EMU', channel_id: 'C0HELPDESK', user_id: 'UADMIN1', user_name: 'alice', command: '/rwinsta', text: 'rds01 3', api_app_id: 'A0RWINSTA', response_url: responseUrl, trigger_id: 't' }).toString();
    expect((await post(cmd, SlackEmulator.sign(SECRET, cmd))).status).toBe(200);
    const [prompt] = await rig.emu.waitForResponses(id);
    const press = rig.emu.newResponseUrl();
    const payload = {
      type: 'block_actions', user: { id: 'UADMIN1', username: 'alice', team_id: 'T0EMU' }, api_app_id: 'A0RWINSTA', team: { id: 'T0EMU' },
      channel: { id: 'C0HELPDESK' }, container: { type: 'message' }, response_url: press.url, trigger_id: 't',
      actions: [{ action_id: CONFIRM_ACTION, block_id: 'rwinsta_confirmation', type: 'button', value: buttonValue(prompt ?? {}, CONFIRM_ACTION), action_ts: '1' }],
    };
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    expect((await post(form, SlackEmulator.sign(SECRET, form))).status).toBe(200);
    const [outcome] = await rig.emu.waitForResponses(press.id);
    expect(messageText(outcome ?? {})).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01/);
  });

  it('rejects a bad signature, and acts on nothing', async () => {
    const { body, responseId } = command('rds01');
    const res = await post(body, SlackEmulator.sign('not-the-secret', body));
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(rig.emu.responses.get(responseId)).toEqual([]);
  });

  it('rejects a stale timestamp (more than 5 minutes old), even correctly signed', async () => {
    const { body, responseId } = command('rds01');
    const res = await post(body, SlackEmulator.sign(SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60));
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(rig.emu.responses.get(responseId)).toEqual([]);
  });

  it('rejects a request with no signature at all', async () => {
    const { body } = command('rds01');
    expect((await post(body, {})).status).toBe(401);
  });
});
