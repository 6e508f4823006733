import { describe, expect, it } from 'vitest';
import type { ParseContext } from '../../src/core/grammar/command.js';
import { renderText } from '../../src/core/render/text.js';
import { COUNTER_NOTE, SETTINGS_NOTES } from '../../src/core/verbs/qwinsta.js';
import { makeHarness } from '../support/core-harness.js';
import { lineParsers, parseContext } from '../support/parse-context.js';

const ctx: ParseContext = parseContext(['rds01', 'rds02']);

const { ok, err } = lineParsers(ctx);

describe("qwinsta's display switches, as Microsoft's query session takes them", () => {
  it.each([
    ['qwinsta /server:rds01 /counter', { kind: 'list', verb: 'qwinsta', layout: 'qwinsta', server: 'rds01', verbose: false, counters: true }],
    ['query session /server:rds01 /mode /flow', { kind: 'list', verb: 'qwinsta', layout: 'qwinsta', server: 'rds01', verbose: false, settings: ['mode', 'flow'] }],
    ['qwinsta rds01 /vm /connect /COUNTER', { kind: 'list', verb: 'qwinsta', layout: 'qwinsta', server: 'rds01', verbose: false, counters: true, settings: ['connect', 'vm'] }],
    ['qwinsta jdoe /server:rds01 /counter', { kind: 'list', verb: 'qwinsta', layout: 'qwinsta', server: 'rds01', verbose: false, counters: true, filter: { kind: 'name', name: 'jdoe' } }],
    ['qwinsta jdoe /counter', { kind: 'find', verb: 'qwinsta', layout: 'qwinsta', verbose: false, fresh: false, counters: true, user: { kind: 'name', name: 'jdoe' } }],
  ])('%s', (line, expected) => {
    expect(ok(line)).toEqual(expected);
  });

  it('are only query session\'s: quser and the acting verbs refuse them by name', () => {
    expect(err('quser rds01 /counter')).toMatch(/^unknown switch "\/counter" for quser/);
    expect(err('rwinsta rds01 3 /mode')).toMatch(/^unknown switch "\/mode" for rwinsta/);
  });
});

describe('what they show', () => {
  it('/counter adds each session\'s traffic as right-aligned columns, and says what the server totals would need', async () => {
    const h = makeHarness();
    const r = await h.run('bob', 'qwinsta /server:rds01 /counter');
    expect(r.status).toBe('ok');
    const text = renderText(r);
    expect(text).toMatch(/^SESSIONNAME\s+USERNAME\s+ID\s+STATE\s+IDLE\s+LOGON \(UTC\)\s+CLIENT\s+BYTES IN\s+BYTES OUT\s+FRAMES IN\s+FRAMES OUT$/m);
    // jdoe's row: four numbers with thousands separators, the last flush with the header's end.
    const header = text.split('\n').find((l) => l.startsWith('SESSIONNAME')) ?? '';
    const row = text.split('\n').find((l) => /\bCORP\\jdoe\b/.test(l)) ?? '';
    expect(row).toMatch(/WS-JDOE-01\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+[\d,]+$/);
    expect(row.length).toBe(header.length);
    const jdoe = (await h.fleet.listSessions('rds01')).find((s) => s.id === 3);
    expect(jdoe?.counters?.bytesOut).toBeGreaterThan(jdoe?.counters?.bytesIn ?? Infinity);
    expect(row).toContain((jdoe?.counters?.bytesOut ?? 0).toLocaleString('en-US'));
    expect(text).toContain(COUNTER_NOTE);
    // Without /counter: neither the columns nor the note.
    const plain = renderText(await h.run('bob', 'qwinsta /server:rds01'));
    expect(plain).not.toMatch(/BYTES IN/);
    expect(plain).not.toContain(COUNTER_NOTE);
  });

  it('a disconnected session\'s counters stopped at its disconnection', async () => {
    const h = makeHarness();
    const before = (await h.fleet.listSessions('rds01')).find((s) => s.state === 'Disconnected' && s.user);
    h.clock.advance(3_600_000);
    const after = (await h.fleet.listSessions('rds01')).find((s) => s.id === before?.id);
    expect(before?.counters).toBeDefined();
    expect(after?.counters).toEqual(before?.counters);
  });

  it('/counter in a search shows the columns beside the server', async () => {
    const h = makeHarness();
    const text = renderText(await h.run('bob', 'qwinsta jdoe /counter'));
    expect(text).toMatch(/^SERVER\s+SESSIONNAME\s+USERNAME\s+ID\s+STATE\s+IDLE\s+LOGON \(UTC\)\s+CLIENT\s+BYTES IN\s+BYTES OUT\s+FRAMES IN\s+FRAMES OUT$/m);
    expect(text).toContain(COUNTER_NOTE);
  });

  it('/mode, /flow, /connect and /vm list the sessions and say, each, why they add nothing', async () => {
    const h = makeHarness();
    const r = await h.run('bob', 'query session /server:rds01 /mode /flow /connect /vm');
    expect(r.summary).toMatch(/^rds01: \d+ sessions\.$/);
    const text = renderText(r);
    expect(text).toMatch(/^RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/m);
    for (const note of Object.values(SETTINGS_NOTES)) expect(text).toContain(note);
    expect(SETTINGS_NOTES.mode).toMatch(/^\/mode: /);
    expect(SETTINGS_NOTES.vm).toMatch(/^\/vm: /);
    const one = renderText(await h.run('bob', 'qwinsta rds01 /flow'));
    expect(one).toContain(SETTINGS_NOTES.flow);
    expect(one).not.toContain(SETTINGS_NOTES.mode);
  });
});
