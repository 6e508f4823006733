import { describe, expect, it } from 'vitest';
import type { Command, ParseContext, ParseResult } from '../../src/core/grammar/command.js';
import { parseCommand, parseLine } from '../../src/core/grammar/parse.js';

const KNOWN = new Set(['rds01', 'rds02', 'rds04', 'server01', 'server02', 'server03', 'server04', 'server05', 'server06', 'server07', 'servername']);
const ctx: ParseContext = { isKnownServer: (n) => KNOWN.has(n.toLowerCase()) };
const withDefault: ParseContext = { ...ctx, defaultServer: 'rds01' };

function ok(line: string, c: ParseContext = ctx): Command {
  const r = parseLine(line, c);
  if (!r.ok) throw new Error(`expected "${line}" to parse, got: ${r.error.message}`);
  return r.command;
}

function err(line: string, c: ParseContext = ctx): string {
  const r: ParseResult = parseLine(line, c);
  if (r.ok) throw new Error(`expected "${line}" to fail, got ${JSON.stringify(r.command)}`);
  expect(r.error.usage.length).toBeGreaterThan(10);
  return r.error.message;
}

describe('rwinsta: every form of the seed document', () => {
  it.each([
    ['rwinsta 2', withDefault, { kind: 'logoff', server: 'rds01', target: { kind: 'id', id: 2 } }],
    ['rwinsta /server:Server01 3', ctx, { kind: 'logoff', server: 'server01', target: { kind: 'id', id: 3 } }],
    ['rwinsta /server:Server02', ctx, { kind: 'list', server: 'server02' }],
    ['rwinsta /server:Server03 4 /v', ctx, { kind: 'logoff', server: 'server03', target: { kind: 'id', id: 4 }, verbose: true }],
    ['rwinsta /server:Server04 /disc', ctx, { kind: 'bulk-logoff', server: 'server04', scope: 'disconnected' }],
    ['rwinsta /server:Server05 5 /reset', ctx, { kind: 'logoff', server: 'server05', target: { kind: 'id', id: 5 }, verbose: false, force: false }],
    ['rwinsta /server:Server06 6 /v /f', ctx, { kind: 'logoff', server: 'server06', target: { kind: 'id', id: 6 }, verbose: true, force: true }],
    ['rwinsta /server:Server07 /all', ctx, { kind: 'bulk-logoff', server: 'server07', scope: 'all' }],
    ['rwinsta /server:ServerName /v', ctx, { kind: 'list', server: 'servername', verbose: true }],
    ['rwinsta 3', withDefault, { kind: 'logoff', server: 'rds01', target: { kind: 'id', id: 3 } }],
  ])('%s', (line, c, expected) => {
    expect(ok(line, c)).toMatchObject(expected);
  });
  it('each of the FAQ lines "rwinsta 1", "rwinsta 2", "rwinsta 3" works with a default server', () => {
    for (const id of [1, 2, 3]) expect(ok(`rwinsta ${id}`, withDefault)).toMatchObject({ kind: 'logoff', target: { kind: 'id', id } });
  });
});

describe('rwinsta: the issue forms', () => {
  it('server then target, with /v', () => {
    expect(ok('/rwinsta server01 3 /v')).toEqual({ kind: 'logoff', server: 'server01', target: { kind: 'id', id: 3 }, verbose: true, force: false });
  });
  it('a session name', () => {
    expect(ok('/rwinsta /server:rds02 RDP-Tcp#7')).toMatchObject({ server: 'rds02', target: { kind: 'name', name: 'RDP-Tcp#7' } });
    expect(ok('rwinsta rds02 console')).toMatchObject({ target: { kind: 'name', name: 'console' } });
  });
  it('a user name, bare or with a domain', () => {
    expect(ok('rwinsta rds01 jdoe')).toMatchObject({ target: { kind: 'name', name: 'jdoe' } });
    expect(ok('rwinsta rds01 CORP\\jdoe')).toMatchObject({ target: { kind: 'user', user: 'jdoe', domain: 'CORP' } });
  });
  it('a list of IDs, deduplicated', () => {
    expect(ok('rwinsta rds01 1,2,3,2')).toMatchObject({ target: { kind: 'ids', ids: [1, 2, 3] } });
  });
  it('/disc with the server as a word, and with a default server', () => {
    expect(ok('/rwinsta rds04 /disc')).toMatchObject({ kind: 'bulk-logoff', server: 'rds04', scope: 'disconnected' });
    expect(ok('/rwinsta /disc', withDefault)).toMatchObject({ kind: 'bulk-logoff', server: 'rds01' });
  });
  it('switches are case-insensitive, take / or -, and may come anywhere', () => {
    expect(ok('rwinsta /V 3 -SERVER:rds01 /F')).toMatchObject({ server: 'rds01', target: { kind: 'id', id: 3 }, verbose: true, force: true });
    expect(ok('rwinsta -server=rds01 -v 3')).toMatchObject({ server: 'rds01', verbose: true });
  });
  it('the Microsoft spellings: reset session, logoff', () => {
    expect(ok('reset session 3 /server:rds01')).toMatchObject({ kind: 'logoff', server: 'rds01' });
    expect(ok('logoff 3 /server:rds01')).toMatchObject({ kind: 'logoff', server: 'rds01' });
  });
  it('a known server alone lists it; an unknown target with a default server is a target there', () => {
    expect(ok('rwinsta rds01')).toMatchObject({ kind: 'list', server: 'rds01' });
    expect(ok('rwinsta jdoe', withDefault)).toMatchObject({ kind: 'logoff', server: 'rds01', target: { kind: 'name', name: 'jdoe' } });
  });
  it('a bare rwinsta lists the default server', () => {
    expect(ok('rwinsta', withDefault)).toMatchObject({ kind: 'list', server: 'rds01' });
  });
  it('help forms', () => {
    expect(ok('rwinsta /?')).toEqual({ kind: 'help', topic: 'rwinsta' });
    expect(ok('help')).toEqual({ kind: 'help' });
    expect(ok('help quser')).toEqual({ kind: 'help', topic: 'qwinsta' });
  });
});

describe('rwinsta errors quote the bad token and show the usage', () => {
  it('no server and no default asks which server', () => {
    expect(err('rwinsta 2')).toMatch(/which server\?.*rwinsta rds01 2/);
    expect(err('rwinsta /disc')).toMatch(/which server\?/);
    expect(err('rwinsta')).toMatch(/which server\?/);
  });
  it('unknown switch', () => expect(err('rwinsta rds01 3 /x')).toMatch(/unknown switch "\/x" for rwinsta/));
  it('a switch of another verb', () => expect(err('rwinsta rds01 3 /time:5')).toMatch(/unknown switch "\/time:5"/));
  it('too many arguments', () => expect(err('rwinsta rds01 3 4')).toMatch(/unexpected "4"/));
  it('/server without a value', () => expect(err('rwinsta /server 3')).toMatch(/needs a value/));
  it('/server twice with different values', () => expect(err('rwinsta /server:a /server:b 3')).toMatch(/given twice/));
  it('/disc and /all together', () => expect(err('rwinsta rds01 /disc /all')).toMatch(/not both/));
  it('/disc with a session too', () => expect(err('rwinsta /server:rds01 3 /disc')).toMatch(/do not name a session \("3"\)/));
  it('a value on a flag', () => expect(err('rwinsta rds01 3 /v:yes')).toMatch(/takes no value/));
  it('a bad session ID', () => {
    expect(err('rwinsta rds01 99999999999')).toMatch(/not a session ID/);
    expect(err('rwinsta rds01 1,,2')).toMatch(/not a session ID or a list/);
  });
  it('a bad target', () => {
    expect(err('rwinsta rds01 ../etc')).toMatch(/"\.\.\/etc" is not a session ID, session name/);
    expect(err('rwinsta rds01 -1')).toMatch(/unknown switch "-1"|"-1" is not/);
  });
  it('too many IDs', () => expect(err(`rwinsta rds01 ${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`)).toMatch(/101 session IDs.*limit is 100/));
  it('unknown verb', () => {
    const r = parseCommand('rwinstaa', 'rds01', ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/unknown command "rwinstaa"/);
  });
  it('an unterminated quote and a control character', () => {
    expect(err('msg rds01 3 "hello')).toMatch(/never closed/);
    expect(err('rwinsta rds01 3\u0007')).toMatch(/control character \(U\+0007\) after "rds01 3"/);
  });
  it('a line that is too long', () => expect(err(`rwinsta rds01 ${'x'.repeat(5000)}`)).toMatch(/limit is 4000/));
});

describe('server names are checked before anything reaches a backend', () => {
  it.each([
    ['rwinsta \\\\rds01 3', /UNC path/],
    ['rwinsta /server:\\\\rds01\\c$ 3', /UNC path/],
    ['rwinsta /server:rds01/x 3', /not a valid server name/],
    ['rwinsta /server:"rds 01" 3', /not a valid server name/],
    ['rwinsta /server:rds_01 3', /not a valid server name/],
    ['rwinsta /server:-rds 3', /not a valid server name/],
    ['rwinsta /server:rds01..corp 3', /not a valid server name/],
    ['rwinsta /server:rdѕ01 3', /not a valid server name/], // Cyrillic dze
    ['qwinsta /server:a$b', /not a valid server name/],
  ])('%s', (line, re) => {
    expect(err(line)).toMatch(re);
  });
  it('accepts DNS names, IPv4 and a trailing dot, lower-cased', () => {
    expect(ok('qwinsta /server:RDS01.corp.example.com')).toMatchObject({ server: 'rds01.corp.example.com' });
    expect(ok('qwinsta /server:10.0.0.5')).toMatchObject({ server: '10.0.0.5' });
    expect(ok('qwinsta /server:rds01.corp.')).toMatchObject({ server: 'rds01.corp' });
  });
});

describe('qwinsta / quser / query session', () => {
  it('lists a server, with an optional filter', () => {
    expect(ok('/qwinsta rds01')).toEqual({ kind: 'list', server: 'rds01', verbose: false });
    expect(ok('/qwinsta rds01 jdoe')).toMatchObject({ kind: 'list', server: 'rds01', filter: { kind: 'name', name: 'jdoe' } });
    expect(ok('qwinsta /server:rds01 3')).toMatchObject({ kind: 'list', filter: { kind: 'id', id: 3 } });
    expect(ok('query session /server:rds01')).toMatchObject({ kind: 'list', server: 'rds01' });
    expect(ok('quser /server:rds01 jdoe')).toMatchObject({ kind: 'list', filter: { name: 'jdoe' } });
  });
  it('a user name alone searches every server', () => {
    expect(ok('/qwinsta jdoe')).toEqual({ kind: 'find', user: { kind: 'name', name: 'jdoe' }, verbose: false });
    expect(ok('qwinsta CORP\\jdoe')).toMatchObject({ kind: 'find', user: { kind: 'user', user: 'jdoe', domain: 'CORP' } });
    expect(ok('query user j*')).toMatchObject({ kind: 'find', user: { kind: 'user', user: 'j*' } });
  });
  it('filters by state', () => {
    expect(ok('qwinsta rds01 /state:disc')).toMatchObject({ kind: 'list', state: 'Disconnected' });
    expect(err('qwinsta rds01 /state:sleepy')).toMatch(/unknown state "sleepy"/);
  });
  it('a session name or ID needs a server', () => {
    expect(err('qwinsta 3')).toMatch(/which server\?/);
    expect(err('qwinsta RDP-Tcp#7')).toMatch(/which server\?/);
    expect(ok('qwinsta 3', withDefault)).toMatchObject({ kind: 'list', server: 'rds01', filter: { kind: 'id', id: 3 } });
  });
  it('errors: nothing given, too many, Microsoft switches not supported', () => {
    expect(err('qwinsta')).toMatch(/which server\?/);
    expect(err('qwinsta rds01 jdoe extra')).toMatch(/unexpected "extra"/);
    expect(err('qwinsta rds01 /counter')).toMatch(/unknown switch "\/counter"/);
  });
});

describe('tsdiscon', () => {
  it('forms', () => {
    expect(ok('tsdiscon rds01 3')).toEqual({ kind: 'disconnect', server: 'rds01', target: { kind: 'id', id: 3 }, verbose: false, force: false });
    expect(ok('tsdiscon /server:rds01 RDP-Tcp#7 /v')).toMatchObject({ kind: 'disconnect', target: { name: 'RDP-Tcp#7' }, verbose: true });
    expect(ok('tsdiscon 3', withDefault)).toMatchObject({ server: 'rds01' });
  });
  it('errors', () => {
    expect(err('tsdiscon rds01')).toMatch(/which session on rds01\?/);
    expect(err('tsdiscon')).toMatch(/which session\?/);
    expect(err('tsdiscon 3')).toMatch(/which server\?/);
    expect(err('tsdiscon rds01 3 /disc')).toMatch(/unknown switch "\/disc"/);
  });
});

describe('msg', () => {
  it('the rest of the line is the text, spacing kept, switches inside it untouched', () => {
    expect(ok('msg rds01 3 Please save   your work /v')).toMatchObject({ kind: 'message', server: 'rds01', target: { kind: 'id', id: 3 }, text: 'Please save   your work /v', verbose: false });
  });
  it('quoted text, straight or typographic', () => {
    expect(ok('msg rds01 jdoe "Reboot at 5"')).toMatchObject({ text: 'Reboot at 5' });
    expect(ok('msg rds01 * “Reboot at 5”')).toMatchObject({ target: { kind: 'every' }, text: 'Reboot at 5' });
  });
  it('switches before the text', () => {
    expect(ok('msg /time:30 /w /server:rds01 jdoe hi')).toMatchObject({ server: 'rds01', timeSeconds: 30, wait: true, text: 'hi' });
  });
  it('with a default server the first word is the target', () => {
    expect(ok('msg jdoe hello there', withDefault)).toMatchObject({ server: 'rds01', target: { name: 'jdoe' }, text: 'hello there' });
    expect(ok('msg rds02 3 hi', withDefault)).toMatchObject({ server: 'rds02', target: { id: 3 }, text: 'hi' });
  });
  it('errors', () => {
    expect(err('msg rds01 3')).toMatch(/no message text/);
    expect(err('msg rds01')).toMatch(/which session on rds01\?/);
    expect(err('msg 3 hi')).toMatch(/which server\?/);
    expect(err('msg /time:abc rds01 3 hi')).toMatch(/not a number of seconds/);
    expect(err(`msg rds01 3 ${'a'.repeat(1001)}`)).toMatch(/limit is 1000/);
    expect(err('rwinsta rds01 *')).toMatch(/only for msg/);
  });
});
