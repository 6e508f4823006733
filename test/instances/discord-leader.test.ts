import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord/discord-emulator.js';
import { ADMIN_ROLE, admin, bodyText, customIds, opt } from '../discord/discord-harness.js';
import { BotProcess } from '../support/bot-process.js';
import { FULL_ACCESS } from '../support/core-harness.js';
import { RedisServer } from '../support/redis-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { onFakeFarm, skipInstances } from './fake-farm.js';

/** How soon a standby must serve after the holder dies: the bound (lease 10 s + a 2 s poll + READY), not a speed claim. */
const TAKEOVER_BOUND_MS = 20_000;

describe.skipIf(skipInstances())('Discord with two instances: one holds the gateway through a lease in Redis, the other stands by', () => {
  const emu = new DiscordEmulator();
  let redis: RedisServer;
  let a: BotProcess;
  let b: BotProcess;
  let env: Record<string, string> = {};

  const intents = (): number => [...a.audit(), ...b.audit()].filter((r) => r.phase === 'intent').length;

  beforeAll(async () => {
    redis = await new RedisServer().start();
    emu.guildRoles.push(ADMIN_ROLE);
    await emu.start();
    env = {
      DISCORD_TOKEN: emu.token,
      DISCORD_API_URL: emu.apiUrl,
      DISCORD_APPLICATION_ID: emu.applicationId,
      DISCORD_GUILD_ID: emu.guildId,
      RWINSTA_STATE_URL: redis.url,
      RWINSTA_STATE_PREFIX: 'leader:',
      // Long enough for a prompt to outlive the hand-over (TAKEOVER_BOUND_MS), short enough to see one expire after it.
      RWINSTA_CONFIRM_TIMEOUT_SECONDS: '25',
    };
    a = onFakeFarm(await BotProcess.create(FULL_ACCESS, env)).start();
    await a.waitForLog(/discord: this instance, .* holds the lease now \(token 1\) and connects/);
    await emu.sessions(1);
    b = onFakeFarm(await BotProcess.create(FULL_ACCESS, env)).start();
    await b.waitForLog(/discord: standby; .* \(pid \d+\) holds it \(token 1\)/);
  }, 60_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await emu.stop();
    await redis?.stop();
  });

  it('only the holder connects; the standby is ready and says who holds the gateway', async () => {
    // Several of the standby's polls later: still one gateway connection.
    await new Promise((r) => setTimeout(r, 4500));
    expect(emu.identifies).toBe(1);
    expect(emu.maxConcurrentGateways).toBe(1);
    const ready = await b.health('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.text).toMatch(new RegExp(`^ok: discord connection \\(standby: \\S+ \\(pid ${a.pid}\\) holds it \\(token 1\\)\\)$`, 'm'));
    expect((await a.health('/readyz')).text).toMatch(/^ok: discord connection \(holds the discord lease \(token 1\)\)$/m);
    const i = emu.command('qwinsta', [opt.s('server', 'rds02')], admin);
    expect(bodyText((await emu.waitForEdits(i.token))[0])).toMatch(/rds02: 2 sessions/);
  });

  it('the holder dies (kill -9): the standby takes the gateway within the bound, and what the holder started is finished once', async () => {
    // Before the crash: a prompt to expire after it, one to confirm after it, and an action to be replayed after it.
    const toExpire = emu.command('tsdiscon', [opt.s('server', 'rds03'), opt.s('session', '6')], admin);
    await emu.waitForEdits(toExpire.token);
    const toConfirm = emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3')], admin);
    const [prompt] = await emu.waitForEdits(toConfirm.token);
    const forced = emu.command('rwinsta', [opt.s('server', 'rds02'), opt.s('session', '8'), opt.b('force', true)], admin);
    expect(bodyText((await emu.waitForEdits(forced.token))[0])).toMatch(/Logged off session 8/);
    const replay = emu.lastDispatch('INTERACTION_CREATE');
    const before = intents();

    a.signal('SIGKILL');
    const killedAt = Date.now();
    await a.exited;
    await b.waitForLog(/discord: this instance, .* holds the lease now \(token 2\) and connects/, TAKEOVER_BOUND_MS);
    while (emu.identifies < 2) {
      if (Date.now() - killedAt > TAKEOVER_BOUND_MS) throw new Error(`the standby had not connected ${TAKEOVER_BOUND_MS} ms after the holder died`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(emu.maxConcurrentGateways).toBe(1);

    const q = emu.command('qwinsta', [opt.s('server', 'rds01')], admin);
    expect(bodyText((await emu.waitForEdits(q.token))[0])).toMatch(/rds01: 3 sessions/);

    // The forced logoff A acted on, dispatched again to B: recognised, not acted on twice.
    emu.dispatchRaw('INTERACTION_CREATE', replay);
    await b.waitForLog(/discord: interaction \d+ delivered again; ignored/);
    expect(intents()).toBe(before);

    // A's prompt, confirmed on B: acts once, through the confirmation both share.
    const [confirmId] = customIds(prompt);
    const press = emu.button(confirmId as string, admin, emu.messageFor(prompt ?? {}));
    expect(bodyText((await emu.waitForEdits(press.token))[0])).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01/);
    expect(intents()).toBe(before + 1);

    // A's other prompt expires on B's sweep, which edits it through A's interaction token.
    const edits = await emu.waitForEdits(toExpire.token, 2, 40_000);
    expect(bodyText(edits[1])).toMatch(/Expired: disconnect session 6 \(CORP\\jdoe, Active\) on rds03 was not confirmed within 25 s/);
    expect(edits[1]?.components).toEqual([]);
    expect(b.audit().filter((r) => r.decision === 'expired')).toHaveLength(1);
  }, 90_000);

  it('a graceful stop (SIGTERM) gives the lease up at once; an instance started then takes it without waiting for it to lapse', async () => {
    b.signal('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(b.stderr).toMatch(/discord: gave up the lease \(token 2\) so that a standby takes over/);
    const c = onFakeFarm(await BotProcess.create(FULL_ACCESS, env)).start();
    try {
      // Token 3 at the first try: the lease was free, not lapsed.
      await c.waitForLog(/discord: this instance, .* holds the lease now \(token 3\) and connects/);
      expect(c.stderr).not.toMatch(/standby/);
      await emu.sessions(3);
    } finally {
      await c.stop();
    }
  }, 60_000);

  it('the holder loses Redis: the standby takes over within the bound and answers; the old holder, once it hears Redis again, lets go', async () => {
    const path = await new TcpProxy(redis.port).start();
    const viaProxy = onFakeFarm(await BotProcess.create(FULL_ACCESS, { ...env, RWINSTA_STATE_URL: `redis://127.0.0.1:${path.port}` })).start();
    let standby: BotProcess | undefined;
    try {
      await viaProxy.waitForLog(/discord: this instance, .* holds the lease now \(token \d+\) and connects/);
      const connected = emu.identifies + emu.resumes;
      standby = onFakeFarm(await BotProcess.create(FULL_ACCESS, env)).start();
      await standby.waitForLog(/discord: standby; /);
      await emu.sessions(connected);
      const holderQueries = (): number => viaProxy.audit().filter((r) => r.action === 'query').length;
      path.cut();
      const cutAt = Date.now();
      await standby.waitForLog(/discord: this instance, .* holds the lease now \(token \d+\) and connects/, TAKEOVER_BOUND_MS);
      while (emu.gateways < 2) {
        if (Date.now() - cutAt > TAKEOVER_BOUND_MS) throw new Error(`the standby had not connected ${TAKEOVER_BOUND_MS} ms after the holder lost Redis`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // Both connections get the interaction; the old holder, unsure of its lease, lets the new one answer.
      const before = holderQueries();
      const q = emu.command('qwinsta', [opt.s('server', 'rds04')], admin);
      expect(bodyText((await emu.waitForEdits(q.token))[0])).toMatch(/rds04: 1 session/);
      await expect.poll(() => standby?.audit().filter((r) => r.action === 'query').length ?? 0).toBeGreaterThan(0);
      expect(holderQueries()).toBe(before);
      path.restore();
      await viaProxy.waitForLog(/discord: another instance holds the lease now; this one lets go of its connection/, 20_000);
      await expect.poll(() => emu.gateways, { timeout: 10_000 }).toBe(1);
    } finally {
      path.restore();
      await viaProxy.stop();
      await standby?.stop();
      await path.stop();
    }
  }, 90_000);
});
