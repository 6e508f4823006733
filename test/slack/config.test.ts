import { describe, expect, it } from 'vitest';
import { readSlackConfig } from '../../adapters/slack/config.js';
import { slackAdapterFactory } from '../../adapters/slack/index.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' };

describe('Slack configuration names the bad key', () => {
  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, /^SLACK_BOT_TOKEN: must be a bot token starting with xoxb-/],
    [{ SLACK_APP_TOKEN: undefined }, /^SLACK_APP_TOKEN: is not set; Socket Mode needs an app-level token/],
    [{ SLACK_APP_TOKEN: 'xoxb-2' }, /^SLACK_APP_TOKEN: must be an app-level token starting with xapp-/],
    [{ SLACK_MODE: 'http' }, /^SLACK_SIGNING_SECRET: is not set/],
    [{ SLACK_MODE: 'webhook' }, /^SLACK_MODE: "webhook" is not one of socket, http/],
    [{ SLACK_PORT: '70000' }, /^SLACK_PORT: "70000" is not a whole number from 1 to 65535/],
    [{ SLACK_COMMAND_MSG: '/msg' }, /^SLACK_COMMAND_MSG: \/msg is a Slack built-in command/],
    [{ SLACK_COMMAND_RWINSTA: 'reset session' }, /^SLACK_COMMAND_RWINSTA: "reset session" is not a slash command name/],
    [{ SLACK_COMMAND_MSG: '/rwinsta' }, /^SLACK_COMMAND_RWINSTA: \/rwinsta is already the msg command/],
    [{ SLACK_AUDIT_CHANNEL: '#audit' }, /^SLACK_AUDIT_CHANNEL: "#audit" is not a channel ID/],
    [{ RWINSTA_APPROVAL_CHANNEL_SLACK: '#approvals' }, /^RWINSTA_APPROVAL_CHANNEL_SLACK: "#approvals" is not a channel ID/],
    [{ SLACK_API_URL: 'slack.com' }, /^SLACK_API_URL: "slack.com" is not an http\(s\) URL/],
    [{ SLACK_RESULTS_IN_CHANNEL: 'maybe' }, /^SLACK_RESULTS_IN_CHANNEL: "maybe" is not true or false/],
    [{ SLACK_USERGROUP_CACHE_SECONDS: '-1' }, /^SLACK_USERGROUP_CACHE_SECONDS: "-1" is not a whole number from 0 to 86400/],
  ])('%j', (env, re) => {
    expect(() => readSlackConfig({ ...base, ...env })).toThrow(re);
  });

  it('defaults: Socket Mode, Slack\'s own Web API, results in the channel, /rdmsg for messages', () => {
    expect(readSlackConfig(base)).toMatchObject({
      mode: 'socket',
      apiUrl: 'https://slack.com/api/',
      resultsInChannel: true,
      userGroupCacheMs: 300_000,
      commands: { rwinsta: '/rwinsta', qwinsta: '/qwinsta', tsdiscon: '/tsdiscon', msg: '/rdmsg' },
    });
  });

  it('takes the government instance or a proxy as the Web API base, and renamed commands', () => {
    const c = readSlackConfig({ ...base, SLACK_API_URL: 'https://slack-gov.com/api', SLACK_COMMAND_RWINSTA: 'Reset-Session', SLACK_COMMAND_MSG: '/helpdesk-msg' });
    expect(c.apiUrl).toBe('https://slack-gov.com/api/');
    expect(c.commands).toMatchObject({ rwinsta: '/reset-session', msg: '/helpdesk-msg' });
  });

  it('HTTP mode needs the signing secret, not the app token', () => {
    expect(readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'HTTP', SLACK_SIGNING_SECRET: 's3cret', SLACK_PORT: '8443' })).toMatchObject({ mode: 'http', signingSecret: 's3cret', port: 8443 });
  });

  it('check-config: configured only with a bot token, and a summary of the settings', () => {
    expect(slackAdapterFactory.isConfigured({})).toBe(false);
    expect(slackAdapterFactory.isConfigured({ SLACK_BOT_TOKEN: ' ' })).toBe(false);
    expect(slackAdapterFactory.isConfigured(base)).toBe(true);
    expect(slackAdapterFactory.checkConfig({ ...base, SLACK_AUDIT_CHANNEL: 'C0AUDIT' })).toEqual([
      'Socket Mode (outbound only); Web API https://slack.com/api/',
      'commands /qwinsta /quser /rwinsta /tsdiscon /rdmsg; results in the channel',
      'user groups cached 300 s; audit channel C0AUDIT; approval requests in the channel they are made in',
    ]);
    expect(() => slackAdapterFactory.checkConfig({ ...base, SLACK_MODE: 'http' })).toThrow(/SLACK_SIGNING_SECRET/);
  });
});
