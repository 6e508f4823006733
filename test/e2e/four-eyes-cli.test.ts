import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliSandbox, runCli } from '../support/cli.js';
import { FOUR_EYES_ACCESS } from '../support/four-eyes-access.js';

describe('exec and the console: reasons, and actions that need a second person', () => {
  const box = cliSandbox(FOUR_EYES_ACCESS);
  const exec = (as: string, command: string, ...flags: string[]) => runCli(['exec', '--as', as, ...flags, command], { cwd: box.dir, env: box.env });

  it('2: a missing reason shows the pattern and a command that would do', async () => {
    const r = await exec('alice', 'rwinsta rds01 3');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Error: this action needs a reason or ticket matching \^\(INC\|RITM\)\\d\{7\}\\b: add \/reason:"…"\.$/m);
    expect(r.stdout).toMatch(/Usage:\n {2}\/rwinsta \/reason:"INC0012345 user stuck" rds01 3/);
  });
  it('3: an action that needs approval is refused at once, saying a second person must approve it in chat; --yes does not change that', async () => {
    for (const flags of [[], ['--yes']]) {
      const r = await exec('alice', 'rwinsta rds01 3 /reason:"INC0012345 user stuck"', ...flags);
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/^Denied: a second person must approve this logoff on rds01 in chat \(1 approval by seniors\); the console cannot ask for it\.$/m);
      expect(r.stdout).toMatch(/Request it in Slack or Discord, where an approver can approve it\. Nothing was done\./);
    }
  });
  it('0: where no approval is asked for, the reason is taken along, and the outcome says who asked and when', async () => {
    const r = await exec('sam', 'rwinsta rds01 6 /reason:\u201cINC0099999 stale session\u201d');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Logged off session 6 \(CORP\\bwayne\) on rds01: gone after/m);
    expect(r.stdout).toMatch(/^Reason: INC0099999 stale session$/m);
    expect(r.stdout).toMatch(/^Requested by sam at \d\d:\d\d:\d\d \(UTC\)\.$/m);
  });
  it('the interactive console says the same, and asks nothing', async () => {
    const input = ['rwinsta rds01 3 /reason:"INC0012345 user stuck"', 'exit', ''].join('\n');
    const r = await runCli(['start'], { cwd: box.dir, env: { ...box.env, RWINSTA_CONSOLE_USER: 'alice' }, input });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rwinsta> Denied: a second person must approve this logoff on rds01 in chat/);
    expect(r.stdout).not.toMatch(/Proceed\?/);
  });
  it('every record keeps the reason; the outcome names who asked', () => {
    const lines = readFileSync(box.auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.decision === 'denied')).toMatchObject({ userId: 'alice', channel: 'exec', reason: 'INC0012345 user stuck', detail: 'needs approval by 1 of seniors, which the console cannot ask for' });
    expect(lines.filter((l) => l.userId === 'sam').map((l) => [l.decision, l.phase, l.reason])).toEqual([
      ['allowed', 'intent', 'INC0099999 stale session'],
      ['allowed', 'outcome', 'INC0099999 stale session'],
    ]);
    expect(lines.find((l) => l.userId === 'sam' && l.phase === 'outcome')?.participants).toEqual([{ role: 'requested', platform: 'console', userId: 'sam', userName: 'sam', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
  });
});

describe('check-config: approvals that cannot work', () => {
  it('summarizes the four-eyes grants when they are sound', async () => {
    const box = cliSandbox(FOUR_EYES_ACCESS);
    const r = await runCli(['check-config'], { cwd: box.dir, env: { ...box.env, RWINSTA_APPROVAL_TIMEOUT_SECONDS: '600' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^four eyes:\s+2 grant\(s\) ask for approval, 1 for a reason, 1 limited to channels; approvals expire after 600 s$/m);
  });
  it('names the key of an approval nobody could give, and fails', async () => {
    const access = {
      roles: {
        seniors: { grants: [{ actions: ['logoff'], servers: ['rds01'] }] },
        helpdesk: { grants: [{ actions: ['logoff'], servers: ['rds01'], approval: { by: ['seniors'], count: 2 } }], members: { consoleUsers: ['alice'] } },
      },
    };
    const box = cliSandbox(access);
    const r = await runCli(['check-config'], { cwd: box.dir, env: box.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^problem: RWINSTA_ACCESS_FILE: roles\.helpdesk\.grants\[0\]\.approval\.by\[0\]: role "seniors" has no members, so nobody can approve/m);
    expect(r.stderr).toMatch(/^problem: RWINSTA_ACCESS_FILE: roles\.helpdesk\.grants\[0\]\.approval\.count: 2 approvals, but at most 0 people/m);
    expect(r.stdout).toMatch(/Configuration has 2 problems/);
  });
  it('refuses a bad timeout, naming the variable', async () => {
    const box = cliSandbox(FOUR_EYES_ACCESS);
    const r = await runCli(['check-config'], { cwd: box.dir, env: { ...box.env, RWINSTA_APPROVAL_TIMEOUT_SECONDS: '5' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/configuration error: RWINSTA_APPROVAL_TIMEOUT_SECONDS: "5" is not a whole number from 60 to 86400 \(default 900\)/);
  });
});
