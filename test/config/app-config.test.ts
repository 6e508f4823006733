import { describe, expect, it } from 'vitest';
import { readAppConfig } from '../../src/config/app-config.js';

describe('environment configuration', () => {
  it('defaults: simulated off Windows, wts on Windows, 2 min confirmations, 15 s WTS timeout', () => {
    const c = readAppConfig({}, 'linux', '/srv');
    expect(c.backend).toBe('simulated');
    expect(readAppConfig({}, 'win32', '/srv').backend).toBe('wts');
    expect(c.settings.confirmTtlMs).toBe(120_000);
    expect(c.wts.timeoutMs).toBe(15_000);
    expect(c.auditFile).toBe('/srv/audit/rwinsta-audit.jsonl');
  });
  it('reads every setting', () => {
    const c = readAppConfig(
      {
        RWINSTA_BACKEND: 'WTS',
        RWINSTA_WTS_LIBRARY: 'lib/fake.so',
        RWINSTA_DEFAULT_SERVER: 'RDS01',
        RWINSTA_BULK_MAX: '20',
        RWINSTA_RATE_LIMIT_PER_MINUTE: '0',
        RWINSTA_CONFIRM_TIMEOUT_SECONDS: '60',
        RWINSTA_TIMEZONE: 'Europe/Paris',
        RWINSTA_ACCESS_FILE: 'access.yaml',
        RWINSTA_CONSOLE_USER: 'ops',
      },
      'linux',
      '/srv',
    );
    expect(c).toMatchObject({ backend: 'wts', accessFile: '/srv/access.yaml', consoleUser: 'ops', wts: { libraryPath: '/srv/lib/fake.so' } });
    expect(c.settings).toMatchObject({ defaultServer: 'rds01', bulkMax: 20, destructivePerMinute: 0, confirmTtlMs: 60_000, timeZone: 'Europe/Paris' });
  });
  it.each([
    [{ RWINSTA_BACKEND: 'windows' }, /RWINSTA_BACKEND: "windows" is not one of wts, simulated/],
    [{ RWINSTA_BULK_MAX: 'lots' }, /RWINSTA_BULK_MAX: "lots" is not a whole number from 1 to 1000/],
    [{ RWINSTA_WTS_TIMEOUT_SECONDS: '0' }, /RWINSTA_WTS_TIMEOUT_SECONDS: "0" is not a whole number from 1/],
    [{ RWINSTA_DEFAULT_SERVER: '\\\\rds01' }, /RWINSTA_DEFAULT_SERVER: .*UNC path/],
    [{ RWINSTA_TIMEZONE: 'Mars/Olympus' }, /RWINSTA_TIMEZONE: "Mars\/Olympus" is not an IANA time zone/],
    [{ RWINSTA_CONSOLE_USER: 'first last' }, /^RWINSTA_CONSOLE_USER: "first last" contains a space \(U\+0020\); a console identity is one word of printable characters, at most 64/],
    [{ RWINSTA_CONSOLE_USER: 'ad\u200bmin' }, /^RWINSTA_CONSOLE_USER: "ad\?min" contains an invisible or control character \(U\+200B\)/],
    [{ RWINSTA_CONSOLE_USER: 'ad\x1b[31mmin' }, /^RWINSTA_CONSOLE_USER: "ad\?\[31mmin" contains an invisible or control character \(U\+001B\)/],
    [{ RWINSTA_CONSOLE_USER: 'x'.repeat(5000) }, /^RWINSTA_CONSOLE_USER: "x{40}…" is 5000 characters long/],
    [{ RWINSTA_MESSAGE_TITLE: 't'.repeat(256) }, /^RWINSTA_MESSAGE_TITLE: is 256 characters long; a message box title has at most 255$/],
    [{ RWINSTA_MESSAGE_TITLE: 'IT\u0007 helpdesk' }, /^RWINSTA_MESSAGE_TITLE: contains a control or invisible character; use printable text on one line$/],
  ])('%j is refused naming the key', (env, re) => {
    expect(() => readAppConfig(env, 'linux', '/srv')).toThrow(re);
  });
  it('accepts identities and titles at their limits, in any script', () => {
    const c = readAppConfig({ RWINSTA_CONSOLE_USER: `josé-${'x'.repeat(59)}`, RWINSTA_MESSAGE_TITLE: `Service informatique: ${'é'.repeat(233)}` }, 'linux', '/srv');
    expect([...c.consoleUser]).toHaveLength(64);
    expect([...c.settings.messageTitle]).toHaveLength(255);
  });
});
