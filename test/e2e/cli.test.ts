import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FULL_ACCESS } from '../support/core-harness.js';
import { cliSandbox, runCli } from '../support/cli.js';

describe('rwinsta-bot exec: one command, its output and exit code', () => {
  const box = cliSandbox(FULL_ACCESS);
  const exec = (as: string, command: string, ...flags: string[]) => runCli(['exec', '--as', as, ...flags, command], { cwd: box.dir, env: box.env });

  it('0: a list, rendered as a table, saying it is simulated', async () => {
    const r = await exec('alice', 'qwinsta rds01');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rds01: 6 sessions\.$/m);
    expect(r.stdout).toMatch(/^RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active\s+17\s/m);
    expect(r.stdout).toMatch(/\(simulated fleet: no real session was touched\)/);
  });
  it('2: a usage error quotes the token and shows the usage line', async () => {
    const r = await exec('alice', 'rwinsta rds01 3 /frobnicate');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Error: unknown switch "\/frobnicate" for rwinsta/);
    expect(r.stdout).toMatch(/Usage:\n\s+rwinsta <server> <session>/);
  });
  it('3: a denial names the permission and the server', async () => {
    const r = await exec('bob', 'rwinsta rds01 3');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Denied: you lack "logoff" on rds01\./);
  });
  it('4: a backend failure gives the Win32 code and what to check', async () => {
    const r = await exec('root', 'qwinsta rds05');
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/rds05: unreachable \(RPC 1722\): is it up, and is RPC open in its firewall\?/);
  });
  it('5: a destructive action without --yes is shown, not done; --yes does it', async () => {
    const asked = await exec('root', 'rwinsta rds01 3 /v');
    expect(asked.code).toBe(5);
    expect(asked.stdout).toMatch(/Confirm: log off session 3 \(CORP\\jdoe, Active\) on rds01\?/);
    expect(asked.stdout).toMatch(/Run it again with --yes to confirm\./);
    const done = await exec('root', 'rwinsta rds01 3 /v', '--yes');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01: gone after/);
    expect(done.stdout).toMatch(/logoff of session 3 \(CORP\\jdoe\) requested \(\d+ ms\)/);
  });
  it('writes one JSON line per audit record, with the request and its decision', () => {
    const lines = readFileSync(box.auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(8);
    expect(lines.find((l) => l.decision === 'denied')).toMatchObject({ platform: 'console', userId: 'bob', command: '/rwinsta rds01 3', channel: 'exec' });
    expect(lines.filter((l) => l.phase === 'outcome').at(-1)).toMatchObject({ userId: 'root', action: 'logoff', outcome: 'ok', server: 'rds01' });
  });
  it('refuses to start when the audit file cannot be written, saying why', async () => {
    // A directory where the file should be: appends fail with EISDIR, even for root.
    const env = { ...box.env, RWINSTA_AUDIT_FILE: box.dir };
    const r = await runCli(['exec', '--as', 'root', 'rwinsta rds01 6'], { cwd: box.dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`rwinsta-bot: configuration error: RWINSTA_AUDIT_FILE: ${box.dir} is a folder; name a file in it, e.g. ${join(box.dir, 'rwinsta-audit.jsonl')}\n`);
  });
  it('exec with no command is a usage error', async () => {
    const r = await runCli(['exec'], { cwd: box.dir, env: box.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give the command to run/);
  });
});

describe('out of the box: no access file, no chat tokens', () => {
  it('npm start opens the console on the simulated fleet, saying so; y/N confirms', async () => {
    const box = cliSandbox();
    box.env.RWINSTA_CONSOLE_USER = 'newcomer';
    const input = ['qwinsta rds01', '/rwinsta rds01 3 /v', 'y', '/rwinsta /server:rds04 /disc', 'n', 'rwinsta rds01 99', 'exit', ''].join('\n');
    const r = await runCli(['start'], { cwd: box.dir, env: box.env, input });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rwinsta-bot console on the SIMULATED fleet/);
    expect(r.stdout).toMatch(/No chat tokens are set .* You are "newcomer"\./);
    expect(r.stdout).toMatch(/as the console user you may do everything, on the simulated fleet only/);
    expect(r.stdout).toMatch(/^rwinsta> rds01: 6 sessions\.$/m);
    expect(r.stdout).toMatch(/Confirm: log off session 3 \(CORP\\jdoe, Active\) on rds01\?[\s\S]*Proceed\? \[y\/N\] Logged off session 3/);
    expect(r.stdout).toMatch(/Proceed\? \[y\/N\] Cancelled: log off 4 disconnected sessions on rds04 was not done\./);
    expect(r.stdout).toMatch(/No session 99 on rds01/);
    expect(r.stderr).toMatch(/backend: simulated fleet/);
  });
  it('the demo access covers only the simulated fleet', async () => {
    const box = cliSandbox();
    const r = await runCli(['exec', '--as', 'anyone', 'qwinsta /server:prod-rds01'], { cwd: box.dir, env: box.env });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Error: prod-rds01 is not a server this bot knows; servers: rds01, rds02, /);
  });
});

describe('rwinsta-bot check-config', () => {
  it('summarizes a valid configuration', async () => {
    const box = cliSandbox(FULL_ACCESS);
    const r = await runCli(['check-config'], { cwd: box.dir, env: box.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/access file:\s+.*access\.json \(3 roles: admins, helpdesk, juniors; 1 server group\(s\)\)/);
    expect(r.stdout).toMatch(/Configuration OK\./);
  });
  it('names the bad key in the access file', async () => {
    const box = cliSandbox();
    writeFileSync(join(box.dir, 'access.yaml'), 'roles:\n  helpdesk:\n    grants:\n      - actions: [query, reboot]\n        servers: [rds01]\n');
    const r = await runCli(['check-config'], { cwd: box.dir, env: { ...box.env, RWINSTA_ACCESS_FILE: 'access.yaml' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/configuration error: .*access\.yaml: access file: roles\.helpdesk\.grants\[0\]\.actions\[1\]: not an action/);
  });
  it('names a bad environment variable', async () => {
    const box = cliSandbox();
    const r = await runCli(['check-config'], { cwd: box.dir, env: { ...box.env, RWINSTA_BULK_MAX: 'many' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/configuration error: RWINSTA_BULK_MAX: "many" is not a whole number/);
  });
  it('reads a .env file from the working directory', async () => {
    const box = cliSandbox();
    writeFileSync(join(box.dir, '.env'), 'RWINSTA_DEFAULT_SERVER=rds02\n');
    const r = await runCli(['exec', '--as', 'x', 'qwinsta'], { cwd: box.dir, env: box.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rds02: \d+ sessions\./m);
  });
});

describe('rwinsta-bot slack manifest', () => {
  it('prints a manifest with the configured command names', async () => {
    const box = cliSandbox();
    const r = await runCli(['slack', 'manifest'], { cwd: box.dir, env: { ...box.env, SLACK_COMMAND_MSG: 'helpdesk-msg' } });
    expect(r.code).toBe(0);
    const manifest = JSON.parse(r.stdout) as { features: { slash_commands: { command: string }[] } };
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/qwinsta', '/quser', '/rwinsta', '/tsdiscon', '/helpdesk-msg']);
  });
});

describe('rwinsta-bot exec --stream', () => {
  it("prints a search's matches as they are found, then the whole answer; without --stream only the answer", async () => {
    const box = cliSandbox();
    const streamed = await runCli(['exec', '--stream', 'qwinsta jdoe'], { cwd: box.dir, env: box.env });
    expect(streamed.code).toBe(0);
    const found = streamed.stdout.indexOf('  found: ');
    const summary = streamed.stdout.indexOf('jdoe: 2 sessions on 2 servers');
    expect(found).toBeGreaterThanOrEqual(0);
    expect(found).toBeLessThan(summary);
    const plain = await runCli(['exec', 'qwinsta jdoe'], { cwd: box.dir, env: box.env });
    expect(plain.stdout).not.toMatch(/found: /);
    expect(plain.stdout).toMatch(/^jdoe: 2 sessions on 2 servers/);
  });
});
