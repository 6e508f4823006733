import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliSandbox, runCli } from '../support/cli.js';
import { FULL_ACCESS } from '../support/core-harness.js';

const ACCESS = {
  ...FULL_ACCESS,
  selfService: { servers: ['rds01', 'rds02', 'rds03'], actions: ['query', 'logoff'], members: { consoleUsers: ['jdoe', 'mkhan'] } },
  identities: { console: { jdoe: 'CORP\\jdoe', mkhan: 'CORP\\mkhan' } },
};

describe('self-service at the console and with exec (the console map)', () => {
  it('exec qwinsta me, rwinsta me (needs --yes), and a console user outside selfService denied (exit 3)', async () => {
    const box = cliSandbox(ACCESS);
    const mine = await runCli(['exec', '--as', 'jdoe', 'qwinsta me'], { cwd: box.dir, env: box.env });
    expect(mine.code).toBe(0);
    expect(mine.stdout).toMatch(/^Your sessions \(CORP\\jdoe\): 2 on the 3 servers self-service covers\.$/m);
    const ask = await runCli(['exec', '--as', 'mkhan', 'rwinsta me rds03 4'], { cwd: box.dir, env: box.env });
    expect(ask.code).toBe(5);
    expect(ask.stdout).toMatch(/Confirm: log off session 4 \(CORP\\mkhan, Disconnected\) on rds03\?/);
    const done = await runCli(['exec', '--as', 'mkhan', '--yes', 'rwinsta me rds03 4'], { cwd: box.dir, env: box.env });
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/Logged off session 4 \(CORP\\mkhan\) on rds03/);
    const outsider = await runCli(['exec', '--as', 'bob', 'qwinsta me'], { cwd: box.dir, env: box.env });
    expect(outsider.code).toBe(3);
    expect(outsider.stdout).toMatch(/Denied: self-service is not open to you/);
    const records = readFileSync(box.auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.filter((r) => r.phase === 'outcome')).toEqual([expect.objectContaining({ selfService: true, account: 'CORP\\mkhan', userId: 'mkhan' })]);
  });
  it('check-config shows what self-service covers and how "me" is found', async () => {
    const box = cliSandbox(ACCESS);
    const r = await runCli(['check-config'], { cwd: box.dir, env: box.env });
    expect(r.stdout).toMatch(/self-service:\s+query, logoff on rds01, rds02, rds03/);
    expect(r.stdout).toMatch(/identity:\s+/);
  });
});
