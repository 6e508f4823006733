import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord/discord-emulator.js';
import { ADMIN_ROLE, admin, bodyText, opt } from '../discord/discord-harness.js';
import { FULL_ACCESS } from '../support/core-harness.js';
import { CLI, cliSandbox } from '../support/cli.js';

describe('the running bot (rwinsta-bot start) survives a payload its chat library chokes on', () => {
  const emu = new DiscordEmulator();
  let child: ChildProcess;
  let stderr = '';
  beforeAll(async () => {
    emu.guildRoles.push(ADMIN_ROLE);
    await emu.start();
    const box = cliSandbox(FULL_ACCESS);
    Object.assign(box.env, { DISCORD_TOKEN: emu.token, DISCORD_API_URL: emu.apiUrl, DISCORD_APPLICATION_ID: emu.applicationId, DISCORD_GUILD_ID: emu.guildId });
    child = spawn(process.execPath, [CLI, 'start'], { cwd: box.dir, env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await emu.sessions(1);
    const deadline = Date.now() + 20_000;
    while (!/discord adapter started/.test(stderr)) {
      if (Date.now() > deadline) throw new Error(`the bot did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await emu.stop();
  });

  it('logs the error and answers the next command', async () => {
    // No authorizing_integration_owners: discord.js throws while building the interaction.
    emu.dispatchRaw('INTERACTION_CREATE', { id: '123456789012345678', type: 2, application_id: emu.applicationId, token: 'broken', version: 1, entitlements: [], data: { id: '1', name: 'qwinsta', type: 1 }, user: { id: '1', username: 'x', discriminator: '0' } });
    await expect.poll(() => stderr, { timeout: 10_000 }).toMatch(/(uncaught exception|unhandled rejection) \(kept running\)/);
    const i = emu.command('qwinsta', [opt.s('server', 'rds02')], admin);
    expect((await i.callback).type).toBe(5);
    expect(bodyText((await emu.waitForEdits(i.token))[0])).toMatch(/rds02: 4 sessions/);
    expect(child.exitCode).toBeNull();
  });
});
