import { describe, expect, it } from 'vitest';
import type { ParseContext } from '../../src/core/grammar/command.js';
import { parseCommand } from '../../src/core/grammar/parse.js';
import { lineParsers, parseContext } from '../support/parse-context.js';

const KNOWN = ['rds01', 'rds02', 'rds04', 'rds01.corp.example.com', 'server01', 'server02', 'server03', 'server04', 'server05', 'server06', 'server07', 'servername'];
const ctx: ParseContext = parseContext(KNOWN);
const withDefault: ParseContext = parseContext(KNOWN, { defaultServer: 'rds01' });
const anyServer: ParseContext = parseContext(KNOWN, { acceptsAnyServer: true });

const { ok, err } = lineParsers(ctx);

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
    expect(ok('/rwinsta server01 3 /v')).toEqual({ kind: 'logoff', verb: 'rwinsta', server: 'server01', target: { kind: 'id', id: 3 }, verbose: true, force: false });
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
    expect(ok('rwinsta /?')).toEqual({ kind: 'help', verb: 'help', topic: 'rwinsta' });
    expect(ok('help')).toEqual({ kind: 'help', verb: 'help' });
    expect(ok('help quser')).toEqual({ kind: 'help', verb: 'help', topic: 'quser' });
    expect(ok('help query user')).toEqual({ kind: 'help', verb: 'help', topic: 'quser' });
    expect(ok('help reset session')).toEqual({ kind: 'help', verb: 'help', topic: 'rwinsta' });
    expect(ok('logoff /?')).toEqual({ kind: 'help', verb: 'help', topic: 'rwinsta' });
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
    ['rwinsta /server:rdѕ01 3', /"rdѕ01": character 3 is Cyrillic ѕ \(U\+0455\), not Latin s/], // Cyrillic dze
    ['qwinsta /server:a$b', /not a valid server name/],
  ])('%s', (line, re) => {
    expect(err(line)).toMatch(re);
  });
  it('accepts DNS names, IPv4 and a trailing dot, lower-cased', () => {
    expect(ok('qwinsta /server:RDS01.corp.example.com')).toMatchObject({ server: 'rds01.corp.example.com' });
    expect(ok('qwinsta /server:10.0.0.5', anyServer)).toMatchObject({ server: '10.0.0.5' });
    expect(ok('qwinsta /server:rds01.corp.', anyServer)).toMatchObject({ server: 'rds01.corp' });
  });
});

describe('qwinsta / quser / query session', () => {
  it('lists a server, with an optional filter', () => {
    expect(ok('/qwinsta rds01')).toEqual({ kind: 'list', verb: 'qwinsta', layout: 'qwinsta', server: 'rds01', verbose: false });
    expect(ok('/qwinsta rds01 jdoe')).toMatchObject({ kind: 'list', server: 'rds01', filter: { kind: 'name', name: 'jdoe' } });
    expect(ok('qwinsta /server:rds01 3')).toMatchObject({ kind: 'list', filter: { kind: 'id', id: 3 } });
    expect(ok('query session /server:rds01')).toMatchObject({ kind: 'list', server: 'rds01' });
    expect(ok('quser /server:rds01 jdoe')).toMatchObject({ kind: 'list', verb: 'quser', layout: 'quser', filter: { name: 'jdoe' } });
  });
  it('a user name alone searches every server', () => {
    expect(ok('/qwinsta jdoe')).toEqual({ kind: 'find', verb: 'qwinsta', layout: 'qwinsta', user: { kind: 'name', name: 'jdoe' }, verbose: false, fresh: false });
    expect(ok('qwinsta CORP\\jdoe')).toMatchObject({ kind: 'find', user: { kind: 'user', user: 'jdoe', domain: 'CORP' } });
    expect(ok('query user j*')).toMatchObject({ kind: 'find', verb: 'quser', layout: 'quser', user: { kind: 'user', user: 'j*' } });
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
  it('errors: nothing given, too many, a switch that is not one', () => {
    expect(err('qwinsta')).toMatch(/which server\?/);
    expect(err('qwinsta rds01 jdoe extra')).toMatch(/unexpected "extra"/);
    expect(err('qwinsta rds01 /sessions')).toMatch(/unknown switch "\/sessions"/);
    expect(err('quser rds01 /counter')).toMatch(/unknown switch "\/counter" for quser/);
  });
});

describe('tsdiscon', () => {
  it('forms', () => {
    expect(ok('tsdiscon rds01 3')).toEqual({ kind: 'disconnect', verb: 'tsdiscon', server: 'rds01', target: { kind: 'id', id: 3 }, verbose: false, force: false });
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
    expect(err('msg rds01')).toMatch(/whom to on rds01\? e\.g\. msg rds01 3/);
    expect(err('msg 3 hi')).toMatch(/which server\?/);
    expect(err('msg /time:abc rds01 3 hi')).toMatch(/\/time:abc is not a whole number of seconds from 1 to 86400/);
    expect(err('msg rds01 3 /time:0 hi')).toMatch(/from 1 to 86400/);
    expect(err('msg rds01 3 /time:86401 hi')).toMatch(/from 1 to 86400/);
    expect(err('msg rds01 3 /time:1.5 hi')).toMatch(/whole number/);
    expect(err(`msg rds01 3 ${'a'.repeat(1001)}`)).toMatch(/limit is 1000/);
    expect(err('rwinsta rds01 *')).toMatch(/only for msg/);
  });
});

describe("msg in Microsoft's syntax: switches between the target and the text, in any order", () => {
  it.each([
    ['msg rds01 3 /time:30 hi', { server: 'rds01', target: { kind: 'id', id: 3 }, timeSeconds: 30, text: 'hi' }],
    ['msg jdoe /server:rds01 hi', { server: 'rds01', target: { kind: 'name', name: 'jdoe' }, timeSeconds: 60, text: 'hi' }],
    ['msg 3 /server:rds01 hi', { server: 'rds01', target: { kind: 'id', id: 3 }, text: 'hi' }],
    ['msg * /server:rds01 /w Reboot at six', { server: 'rds01', target: { kind: 'every' }, wait: true, text: 'Reboot at six' }],
    ['msg jdoe /time:45 /server:rds01 /v please save', { server: 'rds01', timeSeconds: 45, verbose: true, text: 'please save' }],
    ['msg /server:rds01 3 hi', { server: 'rds01', target: { kind: 'id', id: 3 }, text: 'hi' }],
  ])('%s', (line, expected) => {
    expect(ok(line)).toMatchObject({ kind: 'message', verb: 'msg', ...expected });
  });
  it('the first word after the target that is not a switch starts the text; switch-like words after it are text', () => {
    expect(ok('msg rds01 3 hi /time:30 /w')).toMatchObject({ text: 'hi /time:30 /w', timeSeconds: 60, wait: false });
    expect(ok('msg jdoe /server:rds01 "/w is not a switch here"')).toMatchObject({ text: '/w is not a switch here', wait: false });
  });
  it('/time defaults to 60 seconds, as Microsoft\'s msg', () => {
    expect(ok('msg rds01 3 hi')).toMatchObject({ timeSeconds: 60 });
  });
  it('an unknown server-shaped word before an ID says it is not a server the bot knows', () => {
    expect(err('msg rds99 3 hi')).toMatch(/rds99 is not a server this bot knows; servers: /);
    expect(err('msg rds99 3 hi', anyServer)).toMatch(/which server\?.*msg \/server:rds99 3/);
  });
});

describe('quser: its own verb, quser\'s layout', () => {
  it('quser and query user list a server or find a user in the quser layout', () => {
    expect(ok('quser rds01')).toMatchObject({ kind: 'list', verb: 'quser', layout: 'quser', server: 'rds01' });
    expect(ok('query user /server:rds01')).toMatchObject({ kind: 'list', verb: 'quser', layout: 'quser' });
    expect(ok('quser jdoe')).toMatchObject({ kind: 'find', verb: 'quser', layout: 'quser' });
    expect(ok('query session rds01')).toMatchObject({ kind: 'list', verb: 'qwinsta', layout: 'qwinsta' });
  });
});

describe('a DNS name or an IPv4 address is always a server', () => {
  it('is listed, never searched for as a user', () => {
    expect(ok('qwinsta rds01.corp.example.com')).toMatchObject({ kind: 'list', server: 'rds01.corp.example.com' });
    expect(ok('qwinsta rds07.corp.example.com', anyServer)).toMatchObject({ kind: 'list', server: 'rds07.corp.example.com' });
    expect(ok('qwinsta 10.0.0.5', anyServer)).toMatchObject({ kind: 'list', server: '10.0.0.5' });
    expect(ok('rwinsta 10.0.0.5', anyServer)).toMatchObject({ kind: 'list', server: '10.0.0.5' });
  });
  it('one dot is a login (john.smith) unless a known server has that domain', () => {
    expect(ok('qwinsta john.smith')).toMatchObject({ kind: 'find', user: { kind: 'name', name: 'john.smith' } });
    const dotted = parseContext(['rds01.corp']);
    expect(ok('qwinsta rds09.corp', { ...dotted, acceptsAnyServer: true })).toMatchObject({ kind: 'list', server: 'rds09.corp' });
  });
  it('in a session position it is refused as a server name', () => {
    expect(err('rwinsta rds01 rds02.corp.example.com')).toMatch(/is a server name, not a session or user/);
  });
  it('a number with dots that is no IPv4 address says so', () => {
    expect(err('qwinsta 10.0.0.256')).toMatch(/"10\.0\.0\.256" is not an IPv4 address/);
  });
});

describe('a server the bot does not know', () => {
  it('says so and names the servers, instead of a denial', () => {
    expect(err('qwinsta /server:10.0.0.5')).toMatch(/^10\.0\.0\.5 is not a server this bot knows; servers: rds01, rds01\.corp\.example\.com, rds02/);
    expect(err('qwinsta rds99 3')).toMatch(/rds99 is not a server this bot knows/);
    expect(err('rwinsta /server:rds99 3')).toMatch(/rds99 is not a server this bot knows/);
    expect(err('tsdiscon rds99 3')).toMatch(/rds99 is not a server this bot knows/);
  });
  it('is accepted when the caller\'s grants reach any server (*)', () => {
    expect(ok('qwinsta /server:rds99', anyServer)).toMatchObject({ kind: 'list', server: 'rds99' });
  });
  it('long lists are cut with a count', () => {
    const many = parseContext(Array.from({ length: 30 }, (_, i) => `rds${String(i).padStart(2, '0')}`));
    expect(err('qwinsta /server:zz01', many)).toMatch(/rds11 and 18 more$/);
  });
  it('a word that can only be a session or user, with no default server, asks which server', () => {
    expect(err('rwinsta jdoe')).toMatch(/^which server\? No default server is configured, so jdoe needs one: rwinsta rds01 jdoe/);
    expect(err('rwinsta CORP\\jdoe')).toMatch(/^which server\?/);
    expect(err('tsdiscon jdoe')).toMatch(/^which server\?/);
  });
});

describe('words that mix scripts are refused, naming the character', () => {
  it.each([
    ['qwinsta rdѕ01', /"rdѕ01": character 3 is Cyrillic ѕ \(U\+0455\), not Latin s/],
    ['rwinsta rds01 jdоe', /"jdоe": character 3 is Cyrillic о \(U\+043E\), not Latin o/],
    ['qwinsta /server:rds01 аdmin', /character 1 is Cyrillic а \(U\+0430\), not Latin a/],
    ['msg rds01 jdοe hi', /character 3 is Greek ο \(U\+03BF\), not Latin o/],
  ])('%s', (line, re) => expect(err(line)).toMatch(re));
  it('single-script names still work', () => {
    expect(ok('qwinsta müller')).toMatchObject({ kind: 'find', user: { name: 'müller' } });
    expect(ok('qwinsta rds01 jürgen')).toMatchObject({ kind: 'list', filter: { name: 'jürgen' } });
    expect(ok('qwinsta иванов')).toMatchObject({ kind: 'find', user: { name: 'иванов' } });
  });
  it('the message text itself may mix scripts', () => {
    expect(ok('msg rds01 3 Привет, please save')).toMatchObject({ text: 'Привет, please save' });
  });
});

describe('a UNC path says it is one, in any position', () => {
  it.each(['qwinsta \\\\rds01\\c$', 'qwinsta rds01 \\\\rds01\\c$', 'rwinsta \\\\rds01\\c$', 'tsdiscon rds01 \\\\x\\y', 'msg \\\\rds01 3 hi', 'qwinsta //rds01/share'])('%s', (line) => {
    expect(err(line)).toMatch(/is a UNC path/);
  });
});

describe('/state shows the sessions of that state', () => {
  it('listen, down and the rest parse for listings and searches', () => {
    expect(ok('qwinsta rds01 /state:listen')).toMatchObject({ kind: 'list', state: 'Listen' });
    expect(ok('quser jdoe /state:disc')).toMatchObject({ kind: 'find', state: 'Disconnected' });
  });
});
