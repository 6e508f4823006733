import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord/discord-emulator.js';
import { EMULATOR_TOKENS, SlackEmulator } from '../emulators/slack/slack-emulator.js';
import { buildFakeWts, hasTool, requireOrSkip } from '../native/build-fakewts.js';
import { FULL_ACCESS } from '../support/core-harness.js';
import { cliSandbox, runCli, type CliRun } from '../support/cli.js';

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function checkConfig(env: NodeJS.ProcessEnv, cwd: string, ...args: string[]): Promise<CliRun> {
  return runCli(['check-config', ...args], { cwd, env });
}

/** The C library this very process runs on: a real shared library that exports no wtsapi32 function. */
function libcPath(): string {
  const line = readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .find((l) => /\/libc(\.so|-[\d.]+\.so)/.test(l));
  const path = line?.slice(line.indexOf('/'));
  if (!path) throw new Error('cannot find libc in /proc/self/maps');
  return path;
}

describe('check-config: the audit file is tried for real', () => {
  const box = cliSandbox(FULL_ACCESS);
  const withAudit = (file: string) => ({ ...box.env, RWINSTA_AUDIT_FILE: file });

  it('a folder', async () => {
    const r = await checkConfig(withAudit(box.dir), box.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`problem: RWINSTA_AUDIT_FILE: ${box.dir} is a folder; name a file in it, e.g. ${join(box.dir, 'rwinsta-audit.jsonl')}\n`);
    expect(r.stdout).toMatch(/Configuration has 1 problem \(see above\)\.\n$/);
  });
  it('a full disk (/dev/full), found with a write of zero bytes', async () => {
    const r = await checkConfig(withAudit('/dev/full'), box.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('problem: RWINSTA_AUDIT_FILE: /dev/full: no space left on the device (ENOSPC); free some space or choose another disk\n');
  });
  it('a folder it cannot create, under /proc, at once (Node\'s recursive mkdir never settles there)', async () => {
    const r = await checkConfig(withAudit('/proc/rwinsta-test/audit.jsonl'), box.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('problem: RWINSTA_AUDIT_FILE: cannot create the folder /proc/rwinsta-test to hold /proc/rwinsta-test/audit.jsonl (ENOENT)\n');
  });
  it('a file where a folder should be', async () => {
    const r = await checkConfig(withAudit('/etc/hostname/audit.jsonl'), box.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('problem: RWINSTA_AUDIT_FILE: /etc/hostname is a file, not a folder, so it cannot hold /etc/hostname/audit.jsonl\n');
  });
  it('no permission to write', async () => {
    const locked = join(box.dir, 'locked');
    mkdirSync(locked, { mode: 0o755 });
    chmodSync(box.dir, 0o755);
    const file = join(locked, 'audit.jsonl');
    // root may write anywhere: run the check as nobody in a folder only root may write to.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(locked, 0o555);
    const r = asRoot
      ? await new Promise<CliRun>((resolve) => {
          try {
            const stdout = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(ROOT, 'dist/src/app/cli.js'), 'check-config'], {
              cwd: box.dir,
              env: { ...withAudit(file), HOME: box.dir },
              encoding: 'utf8',
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            resolve({ code: 0, stdout, stderr: '' });
          } catch (e) {
            const x = e as { status: number | null; stdout: string; stderr: string };
            resolve({ code: x.status, stdout: x.stdout, stderr: x.stderr });
          }
        })
      : await checkConfig(withAudit(file), box.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`problem: RWINSTA_AUDIT_FILE: no permission to append to ${file} (EACCES); give the bot's account write access to it and its folder, or choose another path\n`);
  });
  it('a call that never returns (a FIFO nobody reads) is reported after a bounded wait, and so is exec', async () => {
    const fifo = join(box.dir, 'audit.fifo');
    execFileSync('mkfifo', [fifo]);
    const sentence = `RWINSTA_AUDIT_FILE: opening ${fifo} for append did not finish within 5 s (a FIFO, a hung network share, or a special file system such as /proc?); choose a file in a local folder`;
    const r = await checkConfig(withAudit(fifo), box.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`problem: ${sentence}\n`);
    const exec = await runCli(['exec', '--as', 'root', 'qwinsta rds01'], { cwd: box.dir, env: withAudit(fifo) });
    expect(exec.code).toBe(1);
    expect(exec.stderr).toBe(`rwinsta-bot: configuration error: ${sentence}\n`);
  });
  it('start and exec stop at once with the same sentence', async () => {
    const env = withAudit('/proc/rwinsta-test/audit.jsonl');
    const sentence = 'rwinsta-bot: configuration error: RWINSTA_AUDIT_FILE: cannot create the folder /proc/rwinsta-test to hold /proc/rwinsta-test/audit.jsonl (ENOENT)\n';
    const start = await runCli(['start'], { cwd: box.dir, env, input: 'qwinsta rds01\n' });
    expect(start).toMatchObject({ code: 1, stdout: '', stderr: sentence });
    const exec = await runCli(['exec', 'help'], { cwd: box.dir, env });
    expect(exec).toMatchObject({ code: 1, stdout: '', stderr: sentence });
  });
  it('creates the missing folders of a good path and says so', async () => {
    const file = join(box.dir, 'logs', 'audit', 'rwinsta.jsonl');
    const r = await checkConfig(withAudit(file), box.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`audit file:     ${file} (writable; created ${join(box.dir, 'logs')}, ${join(box.dir, 'logs', 'audit')})`);
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});

describe('check-config: the wts library and every function the binding calls', () => {
  const box = cliSandbox(FULL_ACCESS);
  const wts = (library: string) => ({ ...box.env, RWINSTA_BACKEND: 'wts', RWINSTA_WTS_LIBRARY: library });

  it('a library that is not there', async () => {
    const r = await checkConfig(wts('/nonexistent/libwts.so'), box.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^problem: RWINSTA_WTS_LIBRARY: cannot load \/nonexistent\/libwts\.so \(Failed to load shared library: .*No such file or directory\)\n$/);
  });
  it('a library without the functions, naming the first one missing', async () => {
    const lib = libcPath();
    const r = await checkConfig(wts(lib), box.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`problem: RWINSTA_WTS_LIBRARY: ${lib} does not export WTSOpenServerW, which the wts backend calls; name a library with every wtsapi32 function the bot uses (see README, "How calls are made")\n`);
  });
  it('without RWINSTA_WTS_LIBRARY off Windows: wtsapi32.dll cannot be used, and the way out', async () => {
    const r = await checkConfig({ ...box.env, RWINSTA_BACKEND: 'wts' }, box.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^problem: RWINSTA_BACKEND: wts calls wtsapi32\.dll, which cannot be used here \(.*\); run the bot on Windows, or set RWINSTA_BACKEND=simulated\n$/);
  });
  const noGcc = requireOrSkip('gcc (builds the fake wtsapi32)', hasTool('gcc'));
  it.skipIf(noGcc)('a library with every function passes', async () => {
    const r = await checkConfig(wts(buildFakeWts('linux')), box.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backend:\s+wts \(library .*libfakewts\.so\)$/m);
  });
});

describe('check-config --online signs in with the chat tokens', () => {
  const box = cliSandbox(FULL_ACCESS);
  const slack = new SlackEmulator();
  const discord = new DiscordEmulator();
  beforeAll(async () => {
    await slack.start();
    await discord.start();
  });
  afterAll(async () => {
    await slack.stop();
    await discord.stop();
  });
  const slackEnv = (bot: string, app: string) => ({ ...box.env, SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: app, SLACK_API_URL: slack.apiUrl });
  const discordEnv = (token: string, url = discord.apiUrl) => ({ ...box.env, DISCORD_TOKEN: token, DISCORD_API_URL: url });

  it('Slack: auth.test and apps.connections.open accept the tokens', async () => {
    const r = await checkConfig(slackEnv(EMULATOR_TOKENS.bot, EMULATOR_TOKENS.app), box.dir, '--online');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^slack:\s+bot token works: "rwinsta-bot" in workspace "Emulator"$/m);
    expect(r.stdout).toMatch(/^slack:\s+app token works: Socket Mode can connect$/m);
    expect(slack.callsTo('auth.test').length).toBeGreaterThan(0);
  });
  it('Slack: a revoked bot token and a wrong app token, each naming its variable', async () => {
    const r = await checkConfig(slackEnv('xoxb-revoked', 'xapp-wrong'), box.dir, '--online');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'problem: SLACK_BOT_TOKEN: Slack answered auth.test with invalid_auth; copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions\n' +
        'problem: SLACK_APP_TOKEN: Slack answered apps.connections.open with invalid_auth; generate an app-level token with connections:write (Basic Information → App-Level Tokens)\n',
    );
  });
  it('without --online the tokens are checked for shape only, and it says so', async () => {
    const r = await checkConfig(slackEnv('xoxb-revoked', 'xapp-wrong'), box.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--online signs in to check them for real/);
  });
  it('Discord: GET /users/@me accepts the token', async () => {
    const r = await checkConfig(discordEnv(discord.token), box.dir, '--online');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^discord:\\s+bot token works: signed in as "rwinsta-bot" \\(${discord.applicationId}\\)$`, 'm'));
  });
  it('Discord: a wrong token, and an API that cannot be reached', async () => {
    const bad = await checkConfig(discordEnv('MTAw.wrong.token'), box.dir, '--online');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('problem: DISCORD_TOKEN: Discord refused it (401 Unauthorized); reset the token (Developer Portal → your application → Bot → Reset Token) and set it again\n');
    const port = await closedPort();
    const down = await checkConfig(discordEnv(discord.token, `http://127.0.0.1:${port}/api`), box.dir, '--online');
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(`problem: DISCORD_API_URL: cannot reach http://127.0.0.1:${port}/api/v10/users/@me (ECONNREFUSED); check the network, a proxy, or the URL\n`);
  });
});

describe('the shipped example access file', () => {
  it('passes check-config', async () => {
    const box = cliSandbox();
    const r = await checkConfig({ ...box.env, RWINSTA_ACCESS_FILE: join(ROOT, 'access.example.yaml') }, box.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^access file:\s+.*access\.example\.yaml \(3 roles: helpdesk, admins, juniors; 2 server group\(s\)\)$/m);
    expect(r.stdout).toMatch(/Configuration OK\./);
  });
});

describe('npx rwinsta-bot from the checkout, as the README says after npm install', () => {
  it('npm install builds dist/ (prepare), and the bin is the built CLI', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.scripts.prepare).toBe('npm run --silent build');
    expect(pkg.bin['rwinsta-bot']).toBe('dist/src/app/cli.js');
    const r = await new Promise<CliRun>((resolve) => {
      execFile('npx', ['--no-install', 'rwinsta-bot', 'exec', 'qwinsta rds01'], { cwd: ROOT, env: cliSandbox().env, encoding: 'utf8' }, (e, stdout, stderr) =>
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr }),
      );
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rds01: 6 sessions\.$/m);
  });
});

describe('rwinsta-bot --version', () => {
  it('prints the version from package.json, as --version and -V', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const box = cliSandbox();
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag], { cwd: box.dir, env: box.env });
      expect(r).toMatchObject({ code: 0, stdout: `rwinsta-bot ${version}\n`, stderr: '' });
    }
  });
});

describe('console identities and the message title are checked like chat IDs', () => {
  const box = cliSandbox(FULL_ACCESS);
  it.each([
    ['', 'exec: --as is empty; a console identity is one word of printable characters, at most 64, as listed under consoleUsers in the access file'],
    ['al ice', 'exec: --as "al ice" contains a space (U+0020); a console identity is one word'],
    ['al\u0007ice', 'exec: --as "al?ice" contains an invisible or control character (U+0007)'],
    ['a'.repeat(65), `exec: --as "${'a'.repeat(40)}…" is 65 characters long`],
  ])('exec --as %j is a usage error naming the flag', async (as, sentence) => {
    const r = await runCli(['exec', '--as', as, 'qwinsta rds01'], { cwd: box.dir, env: box.env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`rwinsta-bot ${sentence}`);
  });
  it('RWINSTA_CONSOLE_USER and RWINSTA_MESSAGE_TITLE stop the start with a sentence naming them', async () => {
    const user = await runCli(['start'], { cwd: box.dir, env: { ...box.env, RWINSTA_CONSOLE_USER: 'x'.repeat(5000) } });
    expect(user.code).toBe(1);
    expect(user.stderr).toMatch(/^rwinsta-bot: configuration error: RWINSTA_CONSOLE_USER: "x{40}…" is 5000 characters long; a console identity is one word/);
    const title = await runCli(['exec', 'help'], { cwd: box.dir, env: { ...box.env, RWINSTA_MESSAGE_TITLE: 't'.repeat(5000) } });
    expect(title.code).toBe(1);
    expect(title.stderr).toBe('rwinsta-bot: configuration error: RWINSTA_MESSAGE_TITLE: is 5000 characters long; a message box title has at most 255\n');
  });
});
