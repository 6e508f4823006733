import { describe, expect, it } from 'vitest';
import { domainsOf, isAddressLike, isUncPath, mixedScript, shown, uncMessage, wordProblem } from '../../src/core/grammar/words.js';

describe('mixed scripts (Unicode TR39): one word, one script', () => {
  it('single-script names pass: accented Latin, Cyrillic, Greek, CJK, with digits, dots, hyphens and combining marks', () => {
    for (const w of ['müller', 'jürgen', 'иван', 'σοφία', '山田', 'やまだ', 'ヤマダ', '김민준', 'rds01-a.corp', 'иван_01', 'jose\u0301', '٣٤', 'ሀሁ']) {
      expect(mixedScript(w), w).toBeUndefined();
    }
  });
  it('Latin with a Cyrillic look-alike names the character, its code point and the Latin letter it passes for', () => {
    expect(mixedScript('rdѕ01')).toBe('"rdѕ01": character 3 is Cyrillic ѕ (U+0455), not Latin s; retype it in one script');
  });
  it('Latin with a Greek look-alike too', () => {
    expect(mixedScript('rdο01')).toBe('"rdο01": character 3 is Greek ο (U+03BF), not Latin o; retype it in one script');
  });
  it('every Cyrillic and Greek look-alike is named with the Latin letter it passes for', () => {
    const lookAlikes = 'авеһіјкӏмнорԛсѕтуԝхԁүАВЕЅІЈКМНОРСТХУ' + 'αεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ';
    const latin = 'abehijklmhopqcstywxdyABESIJKMHOPCTXY' + 'aeikvoptuxABEZHIKMNOPTYX';
    expect([...lookAlikes]).toHaveLength(latin.length);
    [...lookAlikes].forEach((ch, i) => {
      expect(mixedScript(`x${ch}`), ch).toMatch(new RegExp(`: character 2 is (Cyrillic|Greek) ${ch} \\(U\\+[0-9A-F]{4}\\), not Latin ${latin[i]}; retype`));
    });
  });
  it('a letter of another script that looks like no Latin one is named without a Latin letter', () => {
    expect(mixedScript('rdд01')).toBe('"rdд01": character 3 is Cyrillic д (U+0434); retype it in one script');
  });
  it('in a word that is mostly Cyrillic, the Latin letters still count as the odd ones when Latin is present', () => {
    expect(mixedScript('иванo')).toBe('"иванo": character 1 is Cyrillic и (U+0438); retype it in one script');
  });
  it('without Latin, the odd one is the first letter whose script differs from the first letter\'s; no Latin letter is named', () => {
    expect(mixedScript('αβгд')).toBe('"αβгд": character 3 is Cyrillic г (U+0433); retype it in one script');
    expect(mixedScript('αβа')).toBe('"αβа": character 3 is Cyrillic а (U+0430); retype it in one script');
  });
  it('digits and signs before the odd letter are not it', () => {
    expect(mixedScript('01-rdѕ')).toBe('"01-rdѕ": character 6 is Cyrillic ѕ (U+0455), not Latin s; retype it in one script');
  });
  it('a letter of a script without a name here is "a letter of another script", with its code point', () => {
    expect(mixedScript('rdሀ01')).toBe('"rdሀ01": character 3 is a letter of another script (U+1200); retype it in one script');
    expect(mixedScript('a𐐀')).toBe('"a𐐀": character 2 is a letter of another script (U+10400); retype it in one script');
  });
  it('shows a word of up to 60 characters whole, and cuts a longer one', () => {
    const sixty = `${'a'.repeat(59)}ѕ`;
    expect(mixedScript(sixty)).toBe(`"${sixty}": character 60 is Cyrillic ѕ (U+0455), not Latin s; retype it in one script`);
    const long = `ѕ${'a'.repeat(60)}`;
    expect(mixedScript(long)).toBe(`"ѕ${'a'.repeat(59)}…": character 1 is Cyrillic ѕ (U+0455), not Latin s; retype it in one script`);
    expect(shown('a'.repeat(60))).toBe(`"${'a'.repeat(60)}"`);
    expect(shown('a'.repeat(61))).toBe(`"${'a'.repeat(60)}…"`);
  });
});

describe('CJK: the scripts that write one language together may meet (TR39 augmented script sets)', () => {
  it('Japanese: Han with Hiragana or Katakana, and kana alone', () => {
    for (const w of ['山田たろう', '山田タロウ', 'やまだタロウ', '山だタロウ']) expect(mixedScript(w), w).toBeUndefined();
  });
  it('Korean: Hangul with Han', () => {
    expect(mixedScript('김民준')).toBeUndefined();
  });
  it('Chinese with Bopomofo: Han with Bopomofo', () => {
    expect(mixedScript('中ㄓ文')).toBeUndefined();
  });
  it('scripts of different languages do not: Hangul with kana, Bopomofo with kana or Hangul, even beside Han', () => {
    expect(mixedScript('김やま')).toBe('"김やま": character 2 is Hiragana や (U+3084); retype it in one script');
    expect(mixedScript('山김やま')).toMatch(/character 2 is Hangul 김/);
    expect(mixedScript('山김ヤマ')).toMatch(/character 2 is Hangul 김/);
    expect(mixedScript('中ㄓやま')).toMatch(/character 2 is Bopomofo ㄓ/);
    expect(mixedScript('김ㄓ')).toMatch(/character 2 is Bopomofo ㄓ/);
    expect(mixedScript('中김ㄓ')).toMatch(/character 2 is Hangul 김/);
  });
  it('Latin with Han is mixed', () => {
    expect(mixedScript('rds山')).toMatch(/character 4 is Han 山/);
  });
});

describe('words that cannot name a server, session or user', () => {
  it('a UNC path, with either slash, says it is one', () => {
    expect(isUncPath('\\\\rds01\\c$')).toBe(true);
    expect(isUncPath('//rds01')).toBe(true);
    expect(isUncPath('rds01\\\\')).toBe(false);
    expect(wordProblem('\\\\rds01\\c$')).toBe(uncMessage('\\\\rds01\\c$'));
    expect(uncMessage('//rds01')).toBe('"//rds01" is a UNC path, not a server, session or user name; name the server alone (e.g. rds01), without backslashes or a share');
  });
  it('numbers with dots that are no IPv4 address say so', () => {
    for (const w of ['10.0.0.256', '1.2.3', '1.2.3.4.5', '10.0.0.5.', '010.0.0.5']) {
      expect(wordProblem(w), w).toBe(`"${w}" is not an IPv4 address (four numbers from 0 to 255, e.g. 10.0.0.5)`);
    }
  });
  it('an IPv4 address, and names that only contain digits and dots somewhere, are fine', () => {
    for (const w of ['10.0.0.5', '255.255.255.255', '0.0.0.0', 'rds01.2', '10.0.0.5a', 'a10.0.0.256', 'john.smith', 'jdoe', 'RDP-Tcp#7']) {
      expect(wordProblem(w), w).toBeUndefined();
    }
  });
  it('a word mixing scripts is a problem too', () => {
    expect(wordProblem('rdѕ01')).toBe(mixedScript('rdѕ01'));
  });
});

describe('address-like words are servers, never users', () => {
  it('an IPv4 address is, whatever its numbers', () => {
    for (const ip of ['10.0.0.5', '249.199.45.10', '10.45.199.249', '0.10.250.255', '100.200.0.99']) expect(isAddressLike(ip), ip).toBe(true);
    for (const ip of ['249.199.45.10', '10.45.199.249', '100.200.0.99']) expect(wordProblem(ip), ip).toBeUndefined();
    expect(isAddressLike('256.0.0.5')).toBe(false);
  });
  it('a name with two dots or more is, whatever the length of its labels', () => {
    expect(isAddressLike('rds01.corp.local')).toBe(true);
    expect(isAddressLike('a.corp.local')).toBe(true);
    expect(isAddressLike('rds01.b.local')).toBe(true);
    expect(isAddressLike('rds01.corp.b')).toBe(true);
    expect(isAddressLike('rds01.corp.example.com.')).toBe(true);
  });
  it('a name with one dot is a login (john.smith) unless its domain is a known server\'s', () => {
    expect(isAddressLike('john.smith')).toBe(false);
    expect(isAddressLike('rds09.corp', new Set(['corp']))).toBe(true);
    expect(isAddressLike('RDS09.CORP', new Set(['corp']))).toBe(true);
    expect(isAddressLike('rds09.corp.', new Set(['corp']))).toBe(true);
    expect(isAddressLike('john.smith', new Set(['corp']))).toBe(false);
  });
  it('a name without a dot, without a letter, or too long for DNS is not', () => {
    expect(isAddressLike('rds01', new Set(['corp']))).toBe(false);
    expect(isAddressLike('1.2.3.4.5')).toBe(false);
    expect(isAddressLike('1-2.3-4.5')).toBe(false);
    const label = 'a'.repeat(63);
    expect(isAddressLike([label, label, label, 'b'.repeat(61)].join('.'))).toBe(true);
    expect(isAddressLike([label, label, label, 'b'.repeat(62)].join('.'))).toBe(false);
    expect(isAddressLike('rds_01.corp.local')).toBe(false);
    expect(isAddressLike('rds01.corp.lo_cal')).toBe(false);
    expect(isAddressLike('-rds.corp.local')).toBe(false);
  });
  it('the domains of the known servers are what follows their first dot, lower-cased, without a trailing dot', () => {
    expect([...domainsOf(['rds01.corp.example.com', 'RDS02.Lab.', 'rds03', '.hidden', 'rds04.', 'web01.corp.example.com'])]).toEqual(['corp.example.com', 'lab']);
  });
});
