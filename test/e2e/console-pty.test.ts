import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../native/build-fakewts.js';
import { CLI, cliSandbox } from '../support/cli.js';
import { hasScript, KEY, PtyCli } from '../support/pty.js';

const skip = requireOrSkip('script (util-linux, Debian package bsdutils: gives the console a pseudo-terminal)', hasScript());

type Audit = Record<string, unknown>;
const auditOf = (file: string): Audit[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Audit);

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = probe();
      if (v !== undefined) return v;
    } catch {
      // not there yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(skip)('the console on a terminal: a line editor', () => {
  const running: PtyCli[] = [];
  const open = (box: ReturnType<typeof cliSandbox>): PtyCli => {
    const pty = new PtyCli(['start'], { cwd: box.dir, env: { ...box.env, RWINSTA_CONSOLE_USER: 'newcomer' } });
    running.push(pty);
    return pty;
  };
  afterEach(() => {
    for (const p of running.splice(0)) p.kill();
  });

  it('recalls earlier commands with ↑, also after a restart, from a history file only its owner reads', async () => {
    const box = cliSandbox();
    const first = open(box);
    await first.prompt();
    await first.type(`qwinsta rds02${KEY.enter}`);
    await first.expect(/rds02: \d+ sessions\./);
    await first.prompt();
    await first.type(`qwinsta rds03${KEY.enter}`);
    await first.expect(/rds03: \d+ sessions\./);
    await first.prompt();
    await first.type(`${KEY.up}${KEY.up}${KEY.enter}`);
    await first.expect(/rds02: \d+ sessions\./);
    await first.prompt();
    await first.type(KEY.ctrlD);
    expect(await first.exited).toBe(0);

    const file = join(box.dir, '.rwinsta_history');
    expect(readFileSync(file, 'utf8')).toBe('qwinsta rds02\nqwinsta rds03\nqwinsta rds02\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = open(box);
    await second.prompt();
    await second.type(`${KEY.up}${KEY.up}${KEY.enter}`);
    await second.expect(/rds03: \d+ sessions\./);
    await second.prompt();
    await second.type(KEY.ctrlD);
    expect(await second.exited).toBe(0);
  });

  it('Tab completes a verb, a server, and after a server its session IDs and users', async () => {
    const box = cliSandbox();
    const pty = open(box);
    await pty.prompt();
    await pty.type(`qwi${KEY.tab}`);
    await pty.expect(/qwinsta $/);
    // Several servers match: the common part is filled in, and a second Tab lists them.
    await pty.type(`rd${KEY.tab}`);
    await pty.expect(/rds0$/);
    await pty.type(KEY.tab);
    await pty.expect(/rds01\s+rds02\s+rds03\s+rds04\s+rds05\s+rds06\s+rwinsta> qwinsta rds0$/);
    await pty.type(`1${KEY.enter}`);
    await pty.expect(/^rds01: 6 sessions\.$/m);
    await pty.prompt();

    await pty.type(`rwinsta rds01 ${KEY.tab}${KEY.tab}`);
    await pty.expect(/2\s+3\s+4\s+6\s+7\s+asmith\s+bwayne\s+jdoe\s+kpatel\s+pnguyen/);
    await pty.type(`jd${KEY.tab}`);
    await pty.expect(/rwinsta rds01 jdoe $/);
    await pty.type(KEY.enter);
    await pty.expect(/Confirm: log off session 3 \(CORP\\jdoe, Active\) on rds01\?/);
    await pty.expect(/Proceed\? \[y\/N\] /);
    await pty.type(`n${KEY.enter}`);
    await pty.expect(/Cancelled: log off session 3/);
    await pty.prompt();
    await pty.type(`exit${KEY.enter}`);
    expect(await pty.exited).toBe(0);
  });

  it('arrow keys edit the line instead of sending control characters; Ctrl-L clears the screen', async () => {
    const box = cliSandbox();
    const pty = open(box);
    await pty.prompt();
    // Typed "qwinsta rds1", then ← to put the missing 0 before the 1, → → and ↓ for good measure.
    await pty.type(`qwinsta rds1${KEY.left}0${KEY.right}${KEY.right}${KEY.down}${KEY.enter}`);
    await pty.expect(/^rds01: 6 sessions\.$/m);
    await pty.prompt();
    const before = pty.raw.length;
    await pty.type(KEY.ctrlL);
    await until('the screen to be cleared', () => (pty.raw.slice(before).includes('\x1b[1;1H\x1b[0J') ? true : undefined));
    await pty.type(KEY.ctrlD);
    expect(await pty.exited).toBe(0);
    expect(pty.text).not.toMatch(/invisible control character/);
  });

  it('Ctrl-D at Proceed? cancels on a new line, audited, and leaves', async () => {
    const box = cliSandbox();
    const pty = open(box);
    await pty.prompt();
    await pty.type(`rwinsta rds01 3${KEY.enter}`);
    await pty.expect(/Proceed\? \[y\/N\] /);
    await pty.type(KEY.ctrlD);
    // The reply starts on a line of its own.
    expect(await pty.expect(/Cancelled: log off session 3 \(CORP\\jdoe, Active\) on rds01 was not done\./)).toMatch(/^\n+Cancelled/);
    expect(await pty.exited).toBe(0);
    const cancelled = auditOf(box.auditFile).filter((r) => r.decision === 'cancelled');
    expect(cancelled).toMatchObject([{ userId: 'newcomer', action: 'logoff', server: 'rds01', outcome: 'not-performed', channel: 'tty' }]);
  });

  it('Ctrl-C at Proceed? cancels, audited, and the console goes on; Ctrl-C twice on an empty line leaves', async () => {
    const box = cliSandbox();
    const pty = open(box);
    await pty.prompt();
    await pty.type(`rwinsta rds01 3${KEY.enter}`);
    await pty.expect(/Proceed\? \[y\/N\] /);
    await pty.type(KEY.ctrlC);
    expect(await pty.expect(/Cancelled: log off session 3/)).toMatch(/^\n+Cancelled/);
    await pty.prompt();
    await pty.type(`qwinsta rds01 3${KEY.enter}`);
    await pty.expect(/RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/);
    await pty.prompt();
    // Ctrl-C clears a line being typed, like a shell; it runs nothing.
    await pty.type(`rwinsta rds01 7${KEY.ctrlC}`);
    await pty.prompt();
    await pty.type(KEY.ctrlC);
    await pty.expect(/To leave, press Ctrl-C again/);
    await pty.type(KEY.ctrlC);
    expect(await pty.exited).toBe(0);
    const records = auditOf(box.auditFile);
    expect(records.filter((r) => r.decision === 'cancelled')).toHaveLength(1);
    expect(records.filter((r) => r.command === '/rwinsta rds01 7')).toEqual([]);
  });

  it('Ctrl-C during an action records it as interrupted before the console exits', async () => {
    const box = cliSandbox();
    // Every simulated call takes 2.5 to 10 s: time to press Ctrl-C between the intent record and the outcome, even on a loaded machine.
    box.env.RWINSTA_SIMULATED_LATENCY_MS = '5000';
    const pty = open(box);
    await pty.prompt();
    // A disconnected session: logged off without asking.
    await pty.type(`rwinsta rds01 6${KEY.enter}`);
    const intent = await until('the intent record', () => auditOf(box.auditFile).find((r) => r.phase === 'intent'));
    await pty.type(KEY.ctrlC);
    await pty.expect(/Interrupted: the audit log records the action in progress as interrupted/);
    expect(await pty.exited).toBe(130);
    const outcome = auditOf(box.auditFile).filter((r) => r.requestId === intent.requestId && r.phase === 'outcome');
    expect(outcome).toMatchObject([{ outcome: 'interrupted', action: 'logoff', server: 'rds01', userId: 'newcomer' }]);
  });

  it('a home it cannot write to costs the history, not the console', async () => {
    const box = cliSandbox();
    box.env.HOME = '/proc/rwinsta-no-home';
    const pty = open(box);
    await pty.prompt();
    await pty.type(`qwinsta rds01${KEY.enter}`);
    await pty.expect(/command history not saved: ENOENT/);
    await pty.expect(/^rds01: 6 sessions\.$/m);
    await pty.prompt();
    await pty.type(`exit${KEY.enter}`);
    expect(await pty.exited).toBe(0);
  });
});

describe('the console on a pipe: SIGINT at Proceed? is audited', () => {
  it('cancels the pending confirmation with its audit record, then exits 130', async () => {
    const box = cliSandbox();
    const child = spawn(process.execPath, [CLI, 'start'], { cwd: box.dir, env: box.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stdin.write('rwinsta rds01 3\n');
    await until('the confirmation prompt', () => (out.includes('Proceed? [y/N] ') ? true : undefined));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(auditOf(box.auditFile).filter((r) => r.decision === 'cancelled')).toMatchObject([{ action: 'logoff', server: 'rds01', outcome: 'not-performed' }]);
    expect(out).toMatch(/Interrupted\.\n$/);
  });
});
