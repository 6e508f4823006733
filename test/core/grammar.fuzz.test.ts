import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/grammar/command.js';
import { checkServerName } from '../../src/core/grammar/hostname.js';
import { parseCommand, parseLine } from '../../src/core/grammar/parse.js';
import type { SessionBackend } from '../../src/wts/backend.js';
import { makeHarness } from '../support/core-harness.js';
import { parseContext } from '../support/parse-context.js';

const ctx = parseContext(['rds01', 'rds02'], { defaultServer: 'rds01' });
const VERBS = ['rwinsta', 'qwinsta', 'quser', 'tsdiscon', 'msg', 'help', 'reset', 'query', 'logoff', 'bogus'];

// Pieces a hostile or careless user might send.
const hostile = fc.constantFrom(
  '/server:', '/server:\\\\rds01\\c$', '\\\\rds01', '..', '../..\\', '"', '“', '”', "'", '/v', '-V', '/disc', '/all', '/f',
  '/reset', '/time:99999999', '/state:disc', '*', '#', 'RDP-Tcp#7', 'CORP\\jdoe', 'jdoe', 'ｒｄｓ０１', 'rdѕ01', 'rds01',
  'rds01.corp.example.com', '\u0000', '\u0007', '\u202e', '\u200b', '\ufeff', '\n', '\t', ' ', '%s%n', '${x}', '<@U123>',
  '&amp;', ';rm -rf /', '`whoami`', '|', '0', '65536', '4294967295', '-1', '1,2,3', ',', '1,,2', '🙂', 'a'.repeat(300),
);
const line = fc.array(fc.oneof(hostile, fc.string(), fc.string({ unit: 'binary', maxLength: 20 }), fc.nat().map(String)), { maxLength: 12 }).map((parts) => parts.join(' '));

function serversOf(c: Command): string[] {
  return 'server' in c && c.server !== undefined ? [c.server] : [];
}

/** What every parse must be: a command whose servers are valid names, or a usage error that says something. */
function expectWellFormed(r: ReturnType<typeof parseCommand>): void {
  if (r.ok) {
    expect(r.command.kind).toMatch(/^(help|list|find|logoff|bulk-logoff|disconnect|message)$/);
    for (const s of serversOf(r.command)) expect(checkServerName(s)).toMatchObject({ ok: true, name: s });
  } else {
    expect(r.error.message.length).toBeGreaterThan(0);
    expect(r.error.usage.length).toBeGreaterThan(0);
  }
}

describe('grammar fuzzing: never throws, always a command or a usage error', () => {
  it('random and hostile lines', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VERBS), line, (verb, text) => {
        expectWellFormed(parseCommand(verb, text, ctx));
      }),
      { numRuns: 5000 },
    );
  });
  it('whole lines, including arbitrary Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expectWellFormed(parseLine(text, ctx));
      }),
      { numRuns: 5000 },
    );
  });
  it('very long lines and 10,000 IDs are refused with a clear error', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => i + 1).join(',');
    expect(parseCommand('rwinsta', `rds01 ${ids}`, ctx)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/limit is 4000/) } });
    const r2 = parseCommand('rwinsta', `rds01 ${Array.from({ length: 500 }, (_, i) => i + 1).join(',')}`, ctx);
    expect(r2).toMatchObject({ ok: false, error: { message: expect.stringMatching(/500 session IDs in one command; the limit is 100/) } });
    expect(parseCommand('msg', `rds01 3 ${'x'.repeat(1_000_000)}`, ctx)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/limit is 4000/) } });
  });
  it('Unicode look-alikes of a server name are never a server', () => {
    for (const name of ['ｒｄｓ０１', 'rdѕ01', 'rds０1', 'rds01\u200b', 'rds01\u2024corp']) {
      expect(parseCommand('qwinsta', `/server:${name}`, ctx)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not a valid server name|character \d+ is|control character/) } });
    }
  });
});

/** A backend that records every server name it is asked about, and fails the test on an invalid one. */
function recordingBackend(inner: SessionBackend, seen: string[]): SessionBackend {
  const note = (s: string): void => {
    seen.push(s);
    if (!checkServerName(s).ok) throw new Error(`invalid server name reached the backend: ${JSON.stringify(s)}`);
  };
  return {
    kind: inner.kind,
    knownServers: () => inner.knownServers(),
    listSessions: async (s) => (note(s), inner.listSessions(s)),
    querySession: async (s, id) => (note(s), inner.querySession(s, id)),
    logoff: async (s, id) => (note(s), inner.logoff(s, id)),
    disconnect: async (s, id) => (note(s), inner.disconnect(s, id)),
    sendMessage: async (s, id, m) => (note(s), inner.sendMessage(s, id, m)),
    listProcesses: async (s, id) => (note(s), inner.listProcesses(s, id)),
    close: () => inner.close(),
  };
}

describe('through the whole bot: no invalid server name ever reaches a backend', () => {
  it('random commands from an all-powerful user', async () => {
    const seen: string[] = [];
    const h = makeHarness({ wrapBackend: (fleet) => recordingBackend(fleet, seen) });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VERBS), line, async (verb, text) => {
        const reply = await h.bot.handle({ caller: h.as('root'), verb, text });
        expect(reply.summary.length).toBeGreaterThan(0);
        expect(reply.summary).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }),
      { numRuns: 1500 },
    );
    expect(seen.length).toBeGreaterThan(0);
  });
});
