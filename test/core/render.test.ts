import { describe, expect, it } from 'vitest';
import { formatDuration, formatIdle, formatMs, formatTime } from '../../src/core/render/format.js';
import { sessionTable } from '../../src/core/render/table.js';
import type { Session } from '../../src/wts/session.js';

describe('quser-style formatting', () => {
  it.each([
    [undefined, ''],
    [59_999, '.'],
    [60_000, '1'],
    [59 * 60_000, '59'],
    [60 * 60_000, '1:00'],
    [(23 * 60 + 59) * 60_000, '23:59'],
    [(24 * 60 + 5) * 60_000, '1+00:05'],
    [(3 * 24 * 60 + 14 * 60 + 2) * 60_000, '3+14:02'],
  ])('idle %s ms → "%s"', (ms, text) => {
    expect(formatIdle(ms)).toBe(text);
  });
  it('times in the configured zone', () => {
    const d = new Date('2026-11-25T08:14:00Z');
    expect(formatTime(d, 'UTC')).toBe('2026-11-25 08:14');
    expect(formatTime(d, 'America/New_York')).toBe('2026-11-25 03:14');
    expect(formatTime(undefined, 'UTC')).toBe('');
  });
  it('durations', () => {
    expect(formatMs(640)).toBe('640 ms');
    expect(formatMs(1234)).toBe('1.2 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(5_400_000)).toBe('1 h 30 min');
  });
  it('the table aligns columns and right-aligns IDs', () => {
    const sessions: Session[] = [
      { server: 'rds01', id: 3, name: 'RDP-Tcp#7', user: 'jdoe', domain: 'CORP', state: 'Active', idleMs: 17 * 60_000, logonTime: new Date('2026-11-25T08:14:00Z'), clientName: 'WS-JDOE-01' },
      { server: 'rds01', id: 65536, name: 'rdp-tcp', user: '', domain: '', state: 'Listen' },
    ];
    expect(sessionTable(sessions, { showServer: true, verbose: false, timeZone: 'UTC' })).toEqual([
      'SERVER  SESSIONNAME  USERNAME      ID  STATE   IDLE  LOGON (UTC)       CLIENT',
      'rds01   RDP-Tcp#7    CORP\\jdoe      3  Active  17    2026-11-25 08:14  WS-JDOE-01',
      'rds01   rdp-tcp                 65536  Listen',
    ]);
  });
  it("quser's layout: USERNAME SESSIONNAME ID STATE IDLE TIME LOGON TIME, the zone in the header", () => {
    const sessions: Session[] = [
      { server: 'rds01', id: 3, name: 'RDP-Tcp#7', user: 'jdoe', domain: 'CORP', state: 'Active', idleMs: 17 * 60_000, logonTime: new Date('2026-11-25T08:14:00Z') },
      { server: 'rds01', id: 12, name: '', user: 'bwayne', domain: 'CORP', state: 'Disconnected', idleMs: 26 * 3_600_000 + 5 * 60_000, logonTime: new Date('2026-11-24T07:03:00Z') },
      { server: 'rds01', id: 4, name: 'RDP-Tcp#8', user: 'kpatel', domain: 'CORP', state: 'Active', idleMs: 20_000, logonTime: new Date('2026-11-25T09:00:00Z') },
    ];
    expect(sessionTable(sessions, { showServer: false, verbose: false, layout: 'quser', timeZone: 'Europe/Paris' })).toEqual([
      'USERNAME  SESSIONNAME  ID  STATE   IDLE TIME  LOGON TIME (Europe/Paris)',
      'jdoe      RDP-Tcp#7     3  Active  17         2026-11-25 09:14',
      'bwayne                 12  Disc    1+02:05    2026-11-24 08:03',
      'kpatel    RDP-Tcp#8     4  Active  .          2026-11-25 10:00',
    ]);
  });
});
