import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Wine prefix under test/.cache maps drive Z: to /: never look inside it.
    exclude: ['**/node_modules/**', 'test/.cache/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Native-library and Wine suites build artefacts under test/.cache; forks keep koffi's
    // loaded libraries in their own process per test file.
    pool: 'forks',
  },
});
