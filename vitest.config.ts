import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Native-library and Wine suites build artefacts under .test-cache; forks keep koffi's
    // loaded libraries in their own process per test file.
    pool: 'forks',
  },
});
