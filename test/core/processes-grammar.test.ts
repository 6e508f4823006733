import { describe, expect, it } from 'vitest';
import { slashNames } from '../../src/core/command-names.js';
import type { ParseContext } from '../../src/core/grammar/command.js';
import { parseDuration } from '../../src/core/grammar/durations.js';
import { Usage } from '../../src/core/grammar/positions.js';
import { lineParsers, parseContext } from '../support/parse-context.js';

const KNOWN = ['rds01', 'rds02', 'rds04', 'rds01.corp.example.com'];
const ctx: ParseContext = parseContext(KNOWN);
const withDefault: ParseContext = parseContext(KNOWN, { defaultServer: 'rds01' });

const { ok, err } = lineParsers(ctx);

describe('qprocess: the forms of query process', () => {
  it.each([
    ['qprocess rds01 3', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'id', id: 3 }, system: false }],
    ['qprocess rds01 jdoe', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'name', name: 'jdoe' }, system: false }],
    ['qprocess rds01 *', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'every' }, system: false }],
    ['qprocess rds01 * /system', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'every' }, system: true }],
    ['qprocess /server:RDS02 RDP-Tcp#7', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds02', target: { kind: 'name', name: 'RDP-Tcp#7' }, system: false }],
    ['qprocess CORP\\jdoe /server:rds01 /system', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'user', user: 'jdoe', domain: 'CORP' }, system: true }],
    ['query process * /server:rds04', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds04', target: { kind: 'every' }, system: false }],
    ['QUERY PROCESS 2,3 /server:rds01', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'ids', ids: [2, 3] }, system: false }],
    ['qprocess 3', withDefault, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'id', id: 3 }, system: false }],
    // Microsoft's /id:<nn> is a session ID; a number no session has is read as a PID when it runs.
    ['qprocess rds01 /id:6012', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'id', id: 6012 }, system: false }],
    ['qprocess /id:2 /server:rds01', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'id', id: 2 }, system: false }],
    ['qprocess /server:rds01 /id:0 /system', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'id', id: 0 }, system: true }],
    ['qprocess rds01 /ID:4294967295', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'id', id: 4294967295 }, system: false }],
    ['qprocess /id:3', withDefault, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'id', id: 3 }, system: false }],
    // Microsoft's <programname>: the image name with .exe.
    ['qprocess rds01 WINWORD.EXE', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', image: 'WINWORD.EXE', system: false }],
    ['qprocess winword.exe /server:rds01 /system', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', image: 'winword.exe', system: true }],
    ['query process "My App.exe" /server:rds01', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', image: 'My App.exe', system: false }],
    ['qprocess chrome.exe', withDefault, { kind: 'processes', verb: 'qprocess', server: 'rds01', image: 'chrome.exe', system: false }],
    // A user whose name ends in .exe is written with the domain.
    ['qprocess rds01 CORP\\app.exe', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'user', user: 'app.exe', domain: 'CORP' }, system: false }],
    ['qprocess rds01 exe', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01', target: { kind: 'name', name: 'exe' }, system: false }],
    ['qprocess rds01.corp.example.com 3', ctx, { kind: 'processes', verb: 'qprocess', server: 'rds01.corp.example.com', target: { kind: 'id', id: 3 }, system: false }],
  ])('%s', (line, c, expected) => {
    expect(ok(line, c)).toEqual(expected);
  });

  it('asks whose programs when only a server is given, with examples as typed here', () => {
    expect(err('qprocess rds01')).toBe('whose programs on rds01? e.g. qprocess rds01 3, qprocess rds01 jdoe, qprocess rds01 winword.exe, or qprocess rds01 * for every session (qwinsta rds01 lists the sessions)');
    expect(err('qprocess /server:rds01')).toMatch(/^whose programs on rds01\?/);
    const slack = parseContext(KNOWN, { names: slashNames({ qprocess: '/qprocess', qwinsta: '/qwinsta' }) });
    expect(err('qprocess rds01', slack)).toMatch(/e\.g\. \/qprocess rds01 3.*\(\/qwinsta rds01 lists the sessions\)/);
  });
  it('needs a server: said first, with /server:, or the default', () => {
    expect(err('qprocess 3')).toMatch(/^which server\? Say it first \(qprocess rds01 3\) or with \/server:rds01/);
    expect(err('qprocess')).toMatch(/^which server\?/);
    expect(err('qprocess rds99 3')).toMatch(/^rds99 is not a server this bot knows/);
  });
  it('refuses an /id: that is not a number, naming the switch and the format', () => {
    expect(err('qprocess rds01 /id:explorer.exe')).toBe(
      `"/id:explorer.exe" is not a number: /id: takes a session ID as qwinsta shows it, or a process ID from Task Manager's PID column, e.g. /id:3; a program is named without /id:, e.g. qprocess rds01 explorer.exe`,
    );
    expect(err('qprocess rds01 /id:4294967296')).toBe(`"/id:4294967296" is not a number: /id: takes a session ID as qwinsta shows it, or a process ID from Task Manager's PID column, e.g. /id:3`);
    expect(err('qprocess rds01 /id:-4')).toMatch(/is not a number/);
    expect(err('qprocess rds01 /id:3x')).toMatch(/is not a number/);
    expect(err('qprocess rds01 /id:')).toBe('"/id:" needs a value, e.g. /id:3');
  });
  it('takes a session either as a word or as /id:, not both', () => {
    expect(err('qprocess rds01 3 /id:4120')).toBe('give one of "3" and /id:4120, not both: /id: names a session (or a process) by its number');
    expect(err('qprocess /server:rds01 winword.exe /id:2')).toMatch(/^give one of "winword\.exe" and \/id:2, not both/);
  });
  it('checks a program name as any other word', () => {
    expect(err('qprocess rds01 wіnword.exe')).toMatch(/mixes|script/i);
  });
  it('takes no switch of the acting verbs, and no third word', () => {
    expect(err('qprocess rds01 3 /f')).toMatch(/^unknown switch "\/f" for qprocess; it takes \/server:<server> \/system \/id:<nn>$/);
    expect(err('qprocess rds01 3 4')).toBe('unexpected "4": too many arguments');
    expect(err('qprocess /server:rds01 3 4')).toBe('unexpected "4": too many arguments');
    expect(err('qprocess rds01 \\\\rds01\\c$')).toMatch(/UNC path/);
  });
  it('/? and help show its usage', () => {
    expect(ok('qprocess /?')).toEqual({ kind: 'help', verb: 'help', topic: 'qprocess' });
    expect(ok('help query process')).toEqual({ kind: 'help', verb: 'help', topic: 'qprocess' });
  });
});

describe('durations: /idle and /logon', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['8h', 8 * 3_600_000],
    ['2d', 2 * 86_400_000],
    ['8H', 8 * 3_600_000],
    ['1d12h', 36 * 3_600_000],
    ['1h30m', 90 * 60_000],
    ['3650d', 3650 * 86_400_000],
  ])('%s', (raw, ms) => {
    expect(parseDuration('idle', raw)).toEqual({ text: raw.toLowerCase(), ms });
  });
  it.each([['8'], ['8x'], ['1.5h'], ['h'], ['8 h'], ['30m2h'], ['-1h'], ['8hours'], ['P1D'], ['']])('%j is refused, saying the format', (raw) => {
    expect(() => parseDuration('idle', raw)).toThrow(Usage);
    expect(() => parseDuration('idle', raw)).toThrow(`"/idle:${raw}" is not a duration; write minutes, hours or days: /idle:90m, /idle:8h or /idle:2d`);
  });
  it('refuses no time at all and more than ten years', () => {
    expect(() => parseDuration('logon', '0m')).toThrow('/logon:0m is no time at all; give at least one minute, e.g. /logon:90m');
    expect(() => parseDuration('logon', '3651d')).toThrow('/logon:3651d is more than 3650 days');
  });
});

describe('the filters on the verbs that take them', () => {
  const eight = { text: '8h', ms: 8 * 3_600_000 };
  it('qwinsta: a listing and a search', () => {
    expect(ok('qwinsta rds01 /idle:8h')).toEqual({ kind: 'list', verb: 'qwinsta', layout: 'qwinsta', server: 'rds01', verbose: false, age: { idle: eight } });
    expect(ok('qwinsta /server:rds01 /logon:2d /state:disc')).toMatchObject({ kind: 'list', state: 'Disconnected', age: { logon: { text: '2d', ms: 2 * 86_400_000 } } });
    expect(ok('query session jdoe /idle:90m')).toMatchObject({ kind: 'find', age: { idle: { text: '90m', ms: 90 * 60_000 } } });
    expect(err('qwinsta rds01 /idle:8x')).toBe('"/idle:8x" is not a duration; write minutes, hours or days: /idle:90m, /idle:8h or /idle:2d');
    expect(err('qwinsta rds01 /idle:8h /idle:9h')).toMatch(/\/idle is given twice/);
  });
  it('rwinsta: with /disc or /all, never alone', () => {
    expect(ok('rwinsta /server:rds01 /disc /idle:8h')).toEqual({ kind: 'bulk-logoff', verb: 'rwinsta', server: 'rds01', scope: 'disconnected', age: { idle: eight }, verbose: false, force: false });
    expect(ok('rwinsta rds04 /all /logon:2d /idle:8h /v')).toMatchObject({ kind: 'bulk-logoff', scope: 'all', age: { idle: eight, logon: { text: '2d' } }, verbose: true });
    expect(ok('reset session /server:rds01 /disc')).not.toHaveProperty('age');
    expect(err('rwinsta rds01 3 /idle:8h')).toBe('/idle:8h picks among many sessions: add /disc (the disconnected ones) or /all (every user session), e.g. rwinsta /server:rds01 /disc /idle:8h');
    expect(err('rwinsta /server:rds01 /idle:8h')).toMatch(/^\/idle:8h picks among many sessions/);
    expect(err('rwinsta /server:rds01 /disc /idle:soon')).toMatch(/^"\/idle:soon" is not a duration/);
  });
  it('tsdiscon: every connected session passing the filter, on a server said first, with /server: or the default', () => {
    const bulk = { kind: 'disconnect', verb: 'tsdiscon', server: 'rds01', target: { kind: 'every' }, age: { idle: eight }, verbose: false, force: false };
    expect(ok('tsdiscon /server:rds01 /idle:8h')).toEqual(bulk);
    expect(ok('tsdiscon rds01 /idle:8h')).toEqual(bulk);
    expect(ok('tsdiscon /idle:8h', withDefault)).toEqual(bulk);
    expect(err('tsdiscon rds01 3 /idle:8h')).toBe('/idle:8h disconnects every connected session idle 8h or more; do not name a session ("3") too');
    expect(err('tsdiscon /idle:8h')).toMatch(/^which server\? Say it first \(tsdiscon rds01 \/idle:8h\)/);
    expect(ok('tsdiscon rds01 3')).not.toHaveProperty('age');
  });
  it('the verbs that take no filter refuse it as an unknown switch', () => {
    expect(err('msg rds01 * /idle:8h hello')).toMatch(/^unknown switch "\/idle:8h" for msg/);
    expect(err('quser rds01 /idle:8h')).toMatch(/^unknown switch "\/idle:8h" for quser/);
    expect(err('qprocess rds01 * /idle:8h')).toMatch(/^unknown switch "\/idle:8h" for qprocess/);
  });
});
