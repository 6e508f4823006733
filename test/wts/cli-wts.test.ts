import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFakeWts, hasTool, requireOrSkip } from '../native/build-fakewts.js';
import { cliSandbox, runCli } from '../support/cli.js';

const skip = requireOrSkip('gcc (builds the fake wtsapi32 for the koffi binding tests)', hasTool('gcc'));

describe.skipIf(skip)('the built CLI on the wts backend (RWINSTA_WTS_LIBRARY names the fake wtsapi32)', () => {
  const box = cliSandbox({
    serverGroups: { farm: ['rds01', 'hung'] },
    roles: { admins: { grants: [{ actions: ['*'], servers: ['@farm'] }], members: { consoleUsers: ['root'] } } },
  });
  beforeAll(() => {
    writeFileSync(join(box.dir, 'scenario.txt'), 'server rds01\nsession rds01 3 Active RDP-Tcp#7 jdoe CORP WS-JDOE-01 10.20.1.31 x 95 17\nserver hung hang=1\n');
    Object.assign(box.env, {
      RWINSTA_BACKEND: 'wts',
      RWINSTA_WTS_LIBRARY: buildFakeWts('linux'),
      RWINSTA_WTS_TIMEOUT_SECONDS: '2',
      FAKEWTS_SCENARIO: join(box.dir, 'scenario.txt'),
    });
  });

  it('lists through the binding', async () => {
    const r = await runCli(['exec', '--as', 'root', 'qwinsta rds01'], { cwd: box.dir, env: box.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active\s+17/m);
  });

  it('answers a hung server with a timeout and exits, although a thread is still stuck in the call', async () => {
    const r = await runCli(['exec', '--as', 'root', 'qwinsta jdoe'], { cwd: box.dir, env: box.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^jdoe: 1 session on 1 server \(1 of 2 servers did not answer\)\.$/m);
    expect(r.stdout).toMatch(/! hung: timed out \(error 1460\)/);
    const direct = await runCli(['exec', '--as', 'root', 'qwinsta /server:hung'], { cwd: box.dir, env: box.env });
    expect(direct.code).toBe(4);
  });

  it('says plainly when the library cannot be loaded', async () => {
    const r = await runCli(['exec', '--as', 'root', 'qwinsta rds01'], { cwd: box.dir, env: { ...box.env, RWINSTA_WTS_LIBRARY: '/nonexistent/libwts.so' } });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^rds01: cannot load wtsapi32: /m);
  });
});
