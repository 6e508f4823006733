import { describe, expect, it } from 'vitest';
import { detailFailure } from '../../src/wts/detail-failures.js';
import { WIN32, WIN32_ERRORS, WtsError, describeWin32Error, isServerGone, win32Entry, win32Label } from '../../src/wts/errors.js';
import { sidFromString, sidToString } from '../../src/wts/sid.js';

describe('the Win32 error table', () => {
  it('covers every code the operator may meet, once each, with a name, a sentence and a short form', () => {
    const codes = WIN32_ERRORS.map((e) => e.code);
    for (const c of [1, 5, 6, 50, 87, 120, 122, 126, 1332, 1460, 1722, 1726, 1745, 7007, 7022, 7024, 7041, 7045]) expect(codes, String(c)).toContain(c);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort((a, b) => a - b)).toEqual(codes);
    for (const e of WIN32_ERRORS) {
      expect(e.name, String(e.code)).toMatch(/^(ERROR|RPC_S)_[A-Z_]+$/);
      expect(e.name.replace(/^ERROR_/, '').replace(/^RPC_S_/, 'RPC_')).toBe(e.constant);
      expect(e.sentence.length).toBeGreaterThan(15);
      expect(e.short.length).toBeGreaterThan(3);
    }
  });

  it('WIN32 constants come from the table', () => {
    expect(WIN32.CTX_WINSTATION_NOT_FOUND).toBe(7022);
    expect(WIN32.TIMEOUT).toBe(1460);
    expect(WIN32.RPC_PROCNUM_OUT_OF_RANGE).toBe(1745);
    expect(Object.keys(WIN32).length).toBe(WIN32_ERRORS.length);
    for (const e of WIN32_ERRORS) expect(WIN32[e.constant as keyof typeof WIN32]).toBe(e.code);
  });

  it('replies: label, code kind (RPC or error) and sentence', () => {
    expect(describeWin32Error(1722, 'rds07')).toBe('rds07: unreachable (RPC 1722): is it up, and is RPC open in its firewall?');
    expect(describeWin32Error(7022, 'rds01')).toBe('rds01: session not found (error 7022): no such session: it has already ended, or the ID is stale; list the sessions again');
    expect(win32Label(1460)).toBe('timed out (error 1460)');
    expect(win32Label(1745)).toBe('call not available (RPC 1745)');
    expect(win32Label(8)).toBe('error 8');
    expect(describeWin32Error(8, 'rds01')).toBe("rds01: Windows error 8; look it up with `net helpmsg 8` on the bot's host");
    expect(win32Entry(1332)?.name).toBe('ERROR_NONE_MAPPED');
  });

  it('error 5 on a process listing says what that needs: local administrator', () => {
    expect(describeWin32Error(5, 'rds01', 'processes')).toBe(
      "rds01: access denied (error 5): the bot's Windows account must be a local administrator on that server to see other users' programs",
    );
    expect(new WtsError(5, 'rds01', 'processes').message).toMatch(/local administrator on that server to see other users' programs$/);
    expect(new WtsError(5, 'rds01', 'logoff').message).toMatch(/lacks Remote Desktop rights/);
  });

  it("which codes mean the server is gone (a listing fails) and which only blank one session's detail", () => {
    expect(WIN32_ERRORS.filter((e) => e.serverGone).map((e) => e.code)).toEqual([6, 1460, 1722, 1723, 1726, 1727]);
    expect(isServerGone(1722)).toBe(true);
    expect(isServerGone(5)).toBe(false);
    expect([1722, 7022, 50, 5, 7045, 87, 8].map(detailFailure)).toEqual(['server-gone', 'session-ended', 'blank', 'blank', 'blank', 'blank', 'blank']);
  });
});

describe('SIDs as text', () => {
  it('writes them as Windows does, and reads them back', () => {
    for (const text of ['S-1-5-18', 'S-1-5-21-1004336348-1177238915-682003330-1601', 'S-1-5-90-0-3', 'S-1-0-0', 'S-1-5-21-4294967295-1-2-3']) {
      const bytes = sidFromString(text);
      expect(bytes, text).toBeDefined();
      expect(sidToString(bytes as Uint8Array)).toBe(text);
    }
    // S-1-5-18: revision 1, one sub-authority, authority 5 big-endian, 18 little-endian.
    expect([...(sidFromString('S-1-5-18') as Uint8Array)]).toEqual([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]);
    // An authority of 2^32 or more is written in hex.
    expect(sidToString(new Uint8Array([1, 0, 0, 1, 0, 0, 0, 0]))).toBe('S-1-0x000100000000');
  });

  it('refuses what is not a SID', () => {
    expect(sidToString(new Uint8Array([2, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]))).toBeUndefined();
    expect(sidToString(new Uint8Array([1, 2, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]))).toBeUndefined();
    expect(sidToString(new Uint8Array([1, 16, 0, 0, 0, 0, 0, 5]))).toBeUndefined();
    for (const bad of ['S-1', 'S-2-5-18', 'S-1-5-x', 'S-1-5-4294967296', `S-1-5${'-1'.repeat(16)}`]) expect(sidFromString(bad), bad).toBeUndefined();
  });
});
