import { describe, expect, it } from 'vitest';
import { MAX_BLOCKS, MAX_MESSAGES, MAX_SECTION_TEXT, escapeMrkdwn, renderSlack, unescapeSlackText } from '../../adapters/slack/blocks.js';
import { readSlackConfig } from '../../adapters/slack/config.js';
import { slackManifest } from '../../adapters/slack/manifest.js';
import type { Reply } from '../../src/core/results.js';
import type { Session } from '../../src/wts/session.js';

function sessions(n: number): Session[] {
  return Array.from({ length: n }, (_, i) => ({ server: 'rds01', id: i + 2, name: `RDP-Tcp#${i}`, user: `user${i}`, domain: 'CORP', state: 'Active' as const, idleMs: 60_000 * i }));
}

function reply(extra: Partial<Reply>): Reply {
  return { status: 'ok', summary: 'rds01: many sessions.', sections: [], private: false, simulated: true, requestId: 'r1', ...extra };
}

describe('Block Kit rendering within Slack limits', () => {
  it('splits a long table into sections of at most 3,000 characters, whole lines each', () => {
    const [m] = renderSlack(reply({ sections: [{ kind: 'sessions', sessions: sessions(200), showServer: false, verbose: false }] }));
    const texts = (m?.blocks ?? []).flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
    expect(texts.length).toBeGreaterThan(3);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    const table = texts.slice(1).map((t) => t.replace(/^```|```$/g, '')).join('\n');
    expect(table.split('\n').filter((l) => /user\d+/.test(l))).toHaveLength(200);
  });
  it('never exceeds 50 blocks a message, nor 4 messages; says what was left out', () => {
    const huge = reply({ sections: Array.from({ length: 250 }, (_, i) => ({ kind: 'text' as const, text: `line ${i}` })) });
    const messages = renderSlack(huge);
    expect(messages.length).toBe(MAX_MESSAGES);
    for (const m of messages) expect(m.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    expect(JSON.stringify(messages.at(-1)?.blocks)).toMatch(/more blocks of output not shown: narrow the query/);
    expect(JSON.stringify(messages.at(-1)?.blocks)).toMatch(/simulated fleet/);
  });
  it('puts Confirm and Cancel buttons carrying the confirmation ID', () => {
    const [m] = renderSlack(reply({ status: 'confirm', confirmation: { id: 'abc', expiresAt: 0, actionLabel: 'Log off session 3' } }));
    const actions = m?.blocks.find((b) => b.type === 'actions');
    expect(JSON.stringify(actions)).toMatch(/"action_id":"rwinsta_confirm","style":"danger","value":"abc"/);
    expect(JSON.stringify(actions)).toMatch(/"action_id":"rwinsta_cancel","value":"abc"/);
  });
  it('escapes what mrkdwn would interpret, and unescapes command text', () => {
    expect(escapeMrkdwn('<@U1> & <!channel>')).toBe('&lt;@U1&gt; &amp; &lt;!channel&gt;');
    expect(unescapeSlackText('a &amp;lt; b &lt; c')).toBe('a &lt; b < c');
    const [m] = renderSlack(reply({ summary: 'Error: "<!channel>" is not a session.' }));
    expect(JSON.stringify(m?.blocks)).not.toMatch(/<!channel>/);
  });
});

describe('Slack configuration names the bad key', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' };
  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, /SLACK_BOT_TOKEN: must be a bot token starting with xoxb-/],
    [{ SLACK_APP_TOKEN: undefined }, /SLACK_APP_TOKEN: is not set; Socket Mode needs an app-level token/],
    [{ SLACK_MODE: 'http' }, /SLACK_SIGNING_SECRET: is not set/],
    [{ SLACK_MODE: 'webhook' }, /SLACK_MODE: "webhook" is not one of socket, http/],
    [{ SLACK_COMMAND_MSG: '/msg' }, /SLACK_COMMAND_MSG: \/msg is a Slack built-in command/],
    [{ SLACK_COMMAND_RWINSTA: 'reset session' }, /SLACK_COMMAND_RWINSTA: "reset session" is not a slash command name/],
    [{ SLACK_AUDIT_CHANNEL: '#audit' }, /SLACK_AUDIT_CHANNEL: "#audit" is not a channel ID/],
    [{ SLACK_API_URL: 'slack.com' }, /SLACK_API_URL: "slack.com" is not an http\(s\) URL/],
  ])('%j', (env, re) => {
    expect(() => readSlackConfig({ ...base, ...env })).toThrow(re);
  });
  it('defaults: Socket Mode, Slack\'s own API, results in the channel, /rdmsg for messages', () => {
    expect(readSlackConfig(base)).toMatchObject({ mode: 'socket', apiUrl: 'https://slack.com/api/', resultsInChannel: true, commands: { msg: '/rdmsg', rwinsta: '/rwinsta' } });
    expect(readSlackConfig({ ...base, SLACK_API_URL: 'https://slack-gov.com/api' }).apiUrl).toBe('https://slack-gov.com/api/');
  });
});

describe('the app manifest', () => {
  it('declares the commands, the scopes and Socket Mode', () => {
    const m = slackManifest({ rwinsta: '/rwinsta', qwinsta: '/qwinsta', tsdiscon: '/tsdiscon', msg: '/rdmsg' }) as Record<string, never>;
    expect(JSON.stringify(m)).toMatch(/"command":"\/rdmsg"/);
    expect(m).toMatchObject({ oauth_config: { scopes: { bot: ['commands', 'chat:write', 'usergroups:read'] } }, settings: { socket_mode_enabled: true, interactivity: { is_enabled: true } } });
  });
  it('in HTTP mode, points commands and interactivity at the Request URL', () => {
    const m = slackManifest({ rwinsta: '/rwinsta', qwinsta: '/qwinsta', tsdiscon: '/tsdiscon', msg: '/rdmsg' }, 'https://bot.example.com/slack/events');
    expect(m).toMatchObject({ settings: { socket_mode_enabled: false, interactivity: { request_url: 'https://bot.example.com/slack/events' } } });
    expect(JSON.stringify(m)).toMatch(/"url":"https:\/\/bot.example.com\/slack\/events"/);
  });
});
