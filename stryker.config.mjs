// Mutation testing of the security-critical core: `npm run mutation` (README, Development).
import { readFileSync } from 'node:fs';

/**
 * The lines of the named methods of a class file, as Stryker's `file:from-to` ranges, found by name
 * (not fixed numbers) so that edits elsewhere in the file do not move what is mutated.
 */
function methodRanges(file, names) {
  const lines = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n');
  return names.map((name) => {
    const start = lines.findIndex((l) => new RegExp(`^  (?:private |async )*${name}\\(`).test(l));
    const end = lines.findIndex((l, i) => i > start && l === '  }');
    if (start < 0 || end < 0) throw new Error(`stryker.config.mjs: no method ${name} in ${file}; update the mutate list`);
    return `${file}:${start + 1}-${end + 1}`;
  });
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: [
    'src/core/policy/*.ts',
    'src/core/preconditions.ts',
    'src/core/confirmations.ts',
    'src/core/confirmation-flow.ts',
    'src/core/grammar/hostname.ts',
    'src/core/grammar/words.ts',
    'src/core/grammar/positions.ts',
    'src/core/session-match.ts',
    'src/core/rate-limit.ts',
    'adapters/shared/replay-guard.ts',
    // The rate window and the replay marks (with their clean-up) of the in-process state store.
    ...methodRanges('src/core/ports/memory-state-store.ts', ['acquire', 'mark', 'pruneMarks']),
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Not copied into the sandbox: build output and what other suites leave behind (.test-cache holds
  // the native and Wine builds, near a gigabyte after npm test).
  ignorePatterns: ['/.test-cache', '/dist', '/audit', '/coverage', '/bench/results'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  timeoutMS: 10_000,
};
