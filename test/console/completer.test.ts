import { describe, expect, it } from 'vitest';
import { complete, SWITCHES, VERB_WORDS, type CompletionSource } from '../../adapters/console/completer.js';
import { splitVerb } from '../../src/core/index.js';
import { makeHarness } from '../support/core-harness.js';

const asked: string[] = [];
const source: CompletionSource = {
  servers: () => ['rds01', 'rds02', 'server01'],
  sessions: async (server) => {
    asked.push(server);
    return server === 'rds01'
      ? [
          { id: 3, user: 'jdoe' },
          { id: 6, user: 'bwayne' },
          { id: 1, user: '' },
        ]
      : [];
  },
};

describe('Tab completion at the console', () => {
  it.each([
    ['q', [['qprocess', 'query process', 'query session', 'query user', 'quser', 'qwinsta'], 'q']],
    ['rw', [['rwinsta '], 'rw']],
    ['/ts', [['tsdiscon '], 'ts']],
    ['reset s', [['reset session '], 'reset s']],
    ['query u', [['query user '], 'query u']],
    ['he', [['help '], 'he']],
    ['ex', [['exit '], 'ex']],
    ['help ms', [['msg '], 'ms']],
    ['frob x', [[], 'frob x']],
  ])('verbs: %j', async (line, expected) => {
    expect(await complete(line, source)).toEqual(expected);
  });
  it.each([
    ['qwinsta r', [['rds01', 'rds02'], 'r']],
    ['qwinsta s', [['server01 '], 's']],
    ['rwinsta /server:s', [['/server:server01 '], '/server:s']],
    ['rwinsta /d', [['/disc '], '/d']],
    ['rwinsta -d', [['-disc '], '-d']],
    ['qwinsta /s', [['/server:', '/state:'], '/s']],
    ['qwinsta /se', [['/server:'], '/se']],
    ['qwinsta rds01 /state:di', [['/state:disc '], '/state:di']],
    ['msg rds01 3 /t', [['/time:'], '/t']],
    ['tsdiscon /a', [[], '/a']],
  ])('servers and switches: %j', async (line, expected) => {
    expect(await complete(line, source)).toEqual(expected);
  });
  it('after a server, its session IDs and users (from the source), and nothing after the session', async () => {
    asked.length = 0;
    expect(await complete('rwinsta rds01 ', source)).toEqual([['1', '3', '6', 'bwayne', 'jdoe'], '']);
    expect(await complete('rwinsta /server:RDS01 jd', source)).toEqual([['jdoe '], 'jd']);
    expect(await complete('query session rds01 /v b', source)).toEqual([['bwayne '], 'b']);
    expect(await complete('rwinsta rds01 3 ', source)).toEqual([[], '']);
    expect(await complete('rwinsta unknown ', source)).toEqual([[], '']);
    expect(asked).toEqual(['rds01', 'rds01', 'rds01']);
  });
  it('offers only verb words and switches the grammar accepts', async () => {
    const h = makeHarness();
    const ask = (line: string) => {
      const { verbWord, rest } = splitVerb(line);
      return h.bot.handle({ caller: h.as('root'), verb: verbWord, text: rest });
    };
    const values: Record<string, string> = { '/server:': 'rds01', '/state:': 'disc', '/time:': '5' };
    let checked = 0;
    for (const [word, verb] of Object.entries(VERB_WORDS)) {
      if (verb === 'exit') continue;
      expect([word, (await ask(verb === 'help' ? word : `${word} /?`)).status]).toEqual([word, 'help']);
      for (const sw of (SWITCHES.get(verb) ?? []).filter((s) => s !== '/?')) {
        const r = await ask(`${word} rds01 ${sw}${values[sw] ?? ''}`);
        expect([word, sw, r.summary]).not.toEqual([word, sw, expect.stringMatching(/unknown switch/)]);
        checked++;
      }
    }
    expect(checked).toBe(75);
  });
});
