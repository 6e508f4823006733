import { defineConfig } from 'vitest/config';

/**
 * The fast suites that guard the security-critical core, for `npm run mutation` (stryker.config.mjs):
 * no build (nothing here spawns the CLI), no native, Wine, chat-emulator or end-to-end suites. The
 * grammar fuzz suite is left out too: its inputs are random, so a mutant it kills in one run may live
 * in the next, and a property that fails under a mutant shrinks for minutes before it reports.
 */
export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts', 'test/shared/replay-guard.test.ts', 'test/config/access-file.test.ts'],
    exclude: ['**/node_modules/**', 'test/core/grammar.fuzz.test.ts'],
    testTimeout: 30_000,
  },
});
