import { describe, expect, it } from 'vitest';
import type { ParseContext } from '../../src/core/grammar/command.js';
import { Usage, couldBeServer, namesServer, needServer, serverAt, targetAt, unexpected } from '../../src/core/grammar/positions.js';
import type { Token } from '../../src/core/grammar/tokens.js';
import { parseContext } from '../support/parse-context.js';

const word = (text: string, quoted = false): Token => ({ text, quoted, start: 0, end: text.length });

function usageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof Usage) return e.message;
    throw e;
  }
  throw new Error('expected a usage error');
}

/** A grant's glob (rds*) makes every name it covers known, as the bot's directory does. */
const globbed: ParseContext = { ...parseContext(['rds01']), isKnownServer: (n) => n.toLowerCase().startsWith('rds') };

describe('where only a server can stand', () => {
  it('a known server is taken, lower-cased', () => {
    expect(serverAt('RDS01', parseContext(['rds01']))).toBe('rds01');
  });
  it('an unknown one says so and names the servers the bot knows', () => {
    expect(usageOf(() => serverAt('rds99', parseContext(['rds02', 'rds01'])))).toBe('rds99 is not a server this bot knows; servers: rds01, rds02');
  });
  it('with no server named in the access file, it says that', () => {
    expect(usageOf(() => serverAt('rds99', parseContext([])))).toBe('rds99 is not a server this bot knows; servers: none are named in the access file');
  });
  it('lists twelve servers whole and cuts a longer list with a count', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => `s${String(i + 10)}`);
    expect(usageOf(() => serverAt('rds99', parseContext(twelve)))).toBe(`rds99 is not a server this bot knows; servers: ${twelve.join(', ')}`);
    const thirteen = [...twelve, 's22'];
    expect(usageOf(() => serverAt('rds99', parseContext(thirteen)))).toBe(`rds99 is not a server this bot knows; servers: ${twelve.join(', ')} and 1 more`);
  });
  it('a caller whose grants reach any server may name one the bot does not know', () => {
    expect(serverAt('Web07.corp.example.com', parseContext(['rds01'], { acceptsAnyServer: true }))).toBe('web07.corp.example.com');
  });
  it('a word that is no host name is refused before the bot looks it up, even for such a caller', () => {
    const any = parseContext(['rds01'], { acceptsAnyServer: true });
    expect(usageOf(() => serverAt('rds_01', any))).toMatch(/^"rds_01" is not a valid server name/);
    expect(usageOf(() => serverAt('\\\\rds01\\c$', any))).toMatch(/is a UNC path/);
    expect(usageOf(() => serverAt('rdѕ01', any))).toMatch(/character 3 is Cyrillic ѕ/);
  });
});

describe('is a lone word a server?', () => {
  it('a known name, a DNS name or an IPv4 address is', () => {
    const ctx = parseContext(['rds01', 'rds01.corp']);
    expect(namesServer(word('RDS01'), ctx)).toBe(true);
    expect(namesServer(word('rds09.corp'), ctx)).toBe(true);
    expect(namesServer(word('web01.example.com'), ctx)).toBe(true);
    expect(namesServer(word('10.0.0.5'), ctx)).toBe(true);
    expect(namesServer(word('jdoe'), ctx)).toBe(false);
  });
  it('a quoted word never is, even a known name', () => {
    expect(namesServer(word('rds01', true), parseContext(['rds01']))).toBe(false);
  });
  it('a word that can only be a session or user never is, even where a glob covers it', () => {
    for (const w of ['rds*', 'rds?1', 'rds\\jdoe', 'rds#7']) expect(namesServer(word(w), globbed), w).toBe(false);
  });
  it('a word that mixes scripts never is, even where a glob covers it', () => {
    expect(globbed.isKnownServer('rdsѕ01')).toBe(true);
    expect(namesServer(word('rdsѕ01'), globbed)).toBe(false);
  });
});

describe('could a word be a server the bot does not know?', () => {
  it('a valid host name could', () => {
    expect(couldBeServer(word('rds99'))).toBe(true);
    expect(couldBeServer(word('web01.corp'))).toBe(true);
  });
  it('a quoted word, an ID, a session name, a wildcard or a bad IPv4 address could not', () => {
    expect(couldBeServer(word('rds99', true))).toBe(false);
    expect(couldBeServer(word('3'))).toBe(false);
    expect(couldBeServer(word('console'))).toBe(false);
    expect(couldBeServer(word('rds*'))).toBe(false);
    expect(couldBeServer(word('10.0.0.256'))).toBe(false);
    expect(couldBeServer(word('rds_99'))).toBe(false);
  });
});

describe('where a session or user stands', () => {
  it('an ID, a session name or a user', () => {
    expect(targetAt(word('3'))).toEqual({ kind: 'id', id: 3 });
    expect(targetAt(word('CORP\\jdoe'))).toEqual({ kind: 'user', user: 'jdoe', domain: 'CORP' });
  });
  it('a DNS name there is a server given in the wrong place, unless quoted', () => {
    expect(usageOf(() => targetAt(word('rds01.corp.example.com')))).toBe('"rds01.corp.example.com" is a server name, not a session or user; give the server first or with /server:');
    expect(targetAt(word('rds01.corp.example.com', true))).toMatchObject({ kind: 'name' });
  });
  it('* is every session only where the verb allows it', () => {
    expect(targetAt(word('*'), { allowEvery: true })).toEqual({ kind: 'every' });
    expect(() => targetAt(word('*'))).toThrow(Usage);
  });
});

describe('usage errors', () => {
  it('too many arguments names the word, or nothing when there is none', () => {
    expect(usageOf(() => unexpected(word('4')))).toBe('unexpected "4": too many arguments');
    expect(usageOf(() => unexpected(undefined))).toBe('unexpected "": too many arguments');
  });
  it('which server? shows both ways of saying it', () => {
    expect(usageOf(() => needServer('rwinsta', '3', parseContext([])))).toBe('which server? Say it first (rwinsta rds01 3) or with /server:rds01; no default server is configured');
  });
});
