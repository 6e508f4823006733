import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/core/grammar/tokens.js';
import { lineParsers, parseContext } from '../support/parse-context.js';

const ctx = parseContext(['rds01', 'rds02']);

const { ok, err } = lineParsers(ctx);

describe('the /reason switch: a quoted value is one word', () => {
  it('keeps a quoted switch value whole, quotes removed, the switch still a switch', () => {
    const r = tokenize('rds01 3 /reason:"INC0012345 user stuck" /v');
    if (!r.ok) throw new Error(r.message);
    expect(r.tokens.map((t) => [t.text, t.quoted])).toEqual([
      ['rds01', false],
      ['3', false],
      ['/reason:INC0012345 user stuck', false],
      ['/v', false],
    ]);
    expect(r.tokens[2]).toMatchObject({ start: 8, end: 39 });
  });
  it('accepts typographic quotes (Slack and phones) and -reason=', () => {
    expect(ok('rwinsta rds01 3 /reason:\u201cINC0012345 user stuck\u201d')).toMatchObject({ reason: 'INC0012345 user stuck' });
    expect(ok('rwinsta rds01 3 -reason="RITM0000001 locked"')).toMatchObject({ reason: 'RITM0000001 locked' });
  });
  it('an unquoted reason is one word; spaces inside are squeezed', () => {
    expect(ok('tsdiscon rds01 3 /reason:INC0012345')).toMatchObject({ kind: 'disconnect', reason: 'INC0012345' });
    expect(ok('rwinsta rds01 3 /reason:"  INC0012345   user  stuck "')).toMatchObject({ reason: 'INC0012345 user stuck' });
  });
  it('every acting verb takes it, in any position; msg before its text', () => {
    expect(ok('rwinsta /reason:"INC0012345 x" /server:rds01 /disc')).toMatchObject({ kind: 'bulk-logoff', reason: 'INC0012345 x' });
    expect(ok('msg rds01 3 /reason:"INC0012345 heads up" Please save /reason:"not a switch"')).toMatchObject({
      kind: 'message',
      reason: 'INC0012345 heads up',
      text: 'Please save /reason:"not a switch"',
    });
  });
  it('refuses what cannot be a reason, saying why', () => {
    expect(err('rwinsta rds01 3 /reason:"INC0012345 never closed')).toMatch(/the quote opened at position 18 is never closed/);
    expect(err('rwinsta rds01 3 /reason:')).toMatch(/"\/reason:" needs a value, e\.g\. \/reason:"INC0012345 user stuck"/);
    expect(err('rwinsta rds01 3 /reason:"   "')).toMatch(/\/reason needs some text/);
    expect(err(`rwinsta rds01 3 /reason:"${'x'.repeat(201)}"`)).toMatch(/the reason is 201 characters; the limit is 200/);
    expect(err('qwinsta rds01 /reason:"why"')).toMatch(/unknown switch "\/reason:why" for qwinsta/);
  });
  it('rwinsta lists the switch among those it takes', () => {
    expect(err('rwinsta rds01 3 /frob')).toMatch(/it takes \/server:<server> \/v \/disc \/all \/idle:<duration> \/logon:<duration> \/reset \/f \/reason:"<text>"/);
  });
});
