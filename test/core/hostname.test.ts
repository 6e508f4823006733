import { describe, expect, it } from 'vitest';
import { MAX_SERVER_NAME_LENGTH, checkServerName, isValidServerName } from '../../src/core/grammar/hostname.js';

const ADVICE = 'use letters, digits, "-" and "." only, e.g. rds01 or rds01.corp.example.com';

/** A DNS name of `lastLabel` + 192 characters: three labels of the longest length (63), then one more. */
function longName(lastLabel: number): string {
  const label = 'a'.repeat(63);
  return [label, label, label, 'b'.repeat(lastLabel)].join('.');
}

describe('server names: what may reach a backend', () => {
  it('accepts NetBIOS and DNS names and IPv4 addresses, lower-cased, without a trailing dot', () => {
    expect(checkServerName('RDS01')).toEqual({ ok: true, name: 'rds01' });
    expect(checkServerName('rds01.Corp.Example.com.')).toEqual({ ok: true, name: 'rds01.corp.example.com' });
    expect(checkServerName('10.0.0.5')).toEqual({ ok: true, name: '10.0.0.5' });
    expect(checkServerName('lab-01')).toEqual({ ok: true, name: 'lab-01' });
  });
  it('an empty name says it is empty', () => {
    expect(checkServerName('')).toEqual({ ok: false, message: `the server name is empty; ${ADVICE}` });
  });
  it('a UNC path says it is one, with either slash', () => {
    expect(checkServerName('\\\\rds01\\c$')).toEqual({ ok: false, message: `"\\\\rds01\\c$" is a UNC path, not a server name; drop the leading backslashes and any share (${ADVICE})` });
    expect(checkServerName('//rds01/c$')).toMatchObject({ ok: false, message: expect.stringMatching(/^"\/\/rds01\/c\$" is a UNC path/) });
  });
  it('slashes at the end are no UNC path, just not a name', () => {
    expect(checkServerName('rds01\\\\')).toEqual({ ok: false, message: `"rds01\\\\" is not a valid server name: ${ADVICE}` });
    expect(checkServerName('rds01//')).toEqual({ ok: false, message: `"rds01//" is not a valid server name: ${ADVICE}` });
  });
  it('253 characters is the longest host name; 254 is refused as too long', () => {
    expect(MAX_SERVER_NAME_LENGTH).toBe(253);
    const longest = longName(61);
    expect(longest).toHaveLength(253);
    expect(checkServerName(longest)).toEqual({ ok: true, name: longest });
    const tooLong = longName(62);
    expect(tooLong).toHaveLength(254);
    expect(checkServerName(tooLong)).toEqual({ ok: false, message: `"${tooLong.slice(0, 60)}…" is longer than 253 characters, so it is not a host name` });
    // The root's trailing dot is not counted: the longest name stays valid written fully qualified.
    expect(checkServerName(`${longest}.`)).toEqual({ ok: true, name: longest });
    expect(checkServerName(`${tooLong}.`)).toMatchObject({ ok: false, message: expect.stringMatching(/is longer than 253 characters/) });
  });
  it('a label holds 1 to 63 letters, digits or inner hyphens', () => {
    expect(checkServerName(`${'a'.repeat(63)}.corp`).ok).toBe(true);
    expect(checkServerName(`${'a'.repeat(64)}.corp`)).toEqual({ ok: false, message: `"${'a'.repeat(60)}…" is not a valid server name: ${ADVICE}` });
    for (const bad of ['rds01..corp', '.rds01', '-rds01', 'rds01-', 'rds_01', 'rds01..', 'rds 01', 'rdş01']) {
      expect(checkServerName(bad)).toEqual({ ok: false, message: `"${bad}" is not a valid server name: ${ADVICE}` });
    }
  });
  it('shows a name of up to 60 characters whole, and cuts a longer one', () => {
    const sixty = `${'a'.repeat(59)}_`;
    expect(checkServerName(sixty)).toEqual({ ok: false, message: `"${sixty}" is not a valid server name: ${ADVICE}` });
    const sixtyOne = `${'a'.repeat(60)}_`;
    expect(checkServerName(sixtyOne)).toEqual({ ok: false, message: `"${'a'.repeat(60)}…" is not a valid server name: ${ADVICE}` });
  });
  it('isValidServerName says the same', () => {
    expect(isValidServerName('rds01')).toBe(true);
    expect(isValidServerName('\\\\rds01')).toBe(false);
  });
});
