import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** End-to-end suites run the built CLI (dist/), as a user would: build it once per test run. */
export default function setup(): void {
  // For quick runs of suites that do not spawn the CLI; npm test and CI always build.
  if (process.env.RWINSTA_SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
