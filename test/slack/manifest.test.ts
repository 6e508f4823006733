import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { slackAdapterFactory } from '../../adapters/slack/index.js';
import { VERB_TABLE } from '../../src/core/index.js';

interface Manifest {
  features: { slash_commands: { command: string; url?: string; should_escape: boolean; description: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { socket_mode_enabled: boolean; interactivity: { is_enabled: boolean; request_url?: string } };
}

async function manifest(env: Record<string, string>, args: string[] = []): Promise<{ code: number; manifest?: Manifest }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const sub = slackAdapterFactory.subcommands?.manifest;
  if (!sub) throw new Error('no manifest subcommand');
  const code = await sub.run(env, args, out);
  return code === 0 ? { code, manifest: JSON.parse(text) as Manifest } : { code };
}

describe('rwinsta-bot slack manifest', () => {
  it('declares the commands as configured, the scopes, interactivity and Socket Mode', async () => {
    const { manifest: m } = await manifest({ SLACK_COMMAND_MSG: '/helpdesk-msg' });
    expect(m?.features.slash_commands.map((c) => c.command)).toEqual(['/qwinsta', '/quser', '/rwinsta', '/tsdiscon', '/helpdesk-msg']);
    // Unescaped: @mentions and links arrive as typed.
    expect(m?.features.slash_commands.every((c) => c.should_escape === false && c.url === undefined && c.description.length > 0)).toBe(true);
    expect(m?.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'usergroups:read']);
    // Every chat verb of the verb table, described as the table describes it.
    expect(m?.features.slash_commands.map((c) => c.description)).toEqual(VERB_TABLE.filter((v) => v.chat).map((v) => v.summary));
    expect(m?.settings).toMatchObject({ socket_mode_enabled: true, interactivity: { is_enabled: true } });
  });

  it('asks for users:read and users:read.email only when the access file finds people by email', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rwinsta-manifest-'));
    const withMap = join(dir, 'map.json');
    const withEmail = join(dir, 'email.json');
    writeFileSync(withMap, JSON.stringify({ roles: {}, identities: { slack: { U0JDOE: 'CORP\\jdoe' } } }));
    writeFileSync(withEmail, JSON.stringify({ roles: {}, identity: { resolvers: ['map', 'emailRule'], emailRule: { domain: 'CORP', emailDomains: ['corp.example.com'] } } }));
    expect((await manifest({ RWINSTA_ACCESS_FILE: withMap })).manifest?.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'usergroups:read']);
    expect((await manifest({ RWINSTA_ACCESS_FILE: withEmail })).manifest?.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'usergroups:read', 'users:read', 'users:read.email']);
  });

  it('for HTTP mode, points commands and interactivity at the Request URL', async () => {
    const url = 'https://bot.example.com/slack/events';
    const { manifest: m } = await manifest({}, ['--request-url', url]);
    expect(m?.settings).toMatchObject({ socket_mode_enabled: false, interactivity: { is_enabled: true, request_url: url } });
    expect(m?.features.slash_commands.every((c) => c.url === url)).toBe(true);
  });

  it('refuses HTTP mode without an https Request URL', async () => {
    expect((await manifest({ SLACK_MODE: 'http' })).code).toBe(2);
    expect((await manifest({}, ['--request-url', 'http://bot.example.com/slack/events'])).code).toBe(2);
  });
});
