import { INTERRUPTED_EXIT_CODE, runRepl } from '../../adapters/console/repl.js';
import type { ChatAdapter } from '../../adapters/shared/adapter.js';
import { loadConfiguredAdapters } from './adapters-registry.js';
import type { AppConfig } from '../config/app-config.js';
import type { Env } from '../config/env-readers.js';
import type { Logger } from '../core/logger.js';
import { buildRuntime, type Runtime } from './runtime.js';
import { exitNow } from './exit-now.js';
import { finish } from './finish.js';
import { keepRunningThroughStrayErrors } from './keep-running.js';

function consoleBanner(rt: Runtime, config: AppConfig): string {
  const where = rt.backend.kind === 'simulated' ? 'the SIMULATED fleet (nothing real is touched)' : 'Windows Remote Desktop servers (wtsapi32)';
  const lines = [
    `rwinsta-bot console on ${where}.`,
    `No chat tokens are set (SLACK_BOT_TOKEN, DISCORD_TOKEN), so this is the console adapter. You are "${config.consoleUser}".`,
  ];
  if (rt.accessSource === 'demo') lines.push('No access file: as the console user you may do everything, on the simulated fleet only.');
  const servers = rt.bot.knownServers();
  if (servers.length) lines.push(`Servers: ${servers.join(', ')}`);
  lines.push('Try: qwinsta rds01 · qwinsta jdoe · rwinsta rds01 3 /v · rwinsta /server:rds04 /disc · help · exit');
  if (process.stdin.isTTY) lines.push('Tab completes commands, servers and sessions; ↑/↓ recall earlier commands; Ctrl-D leaves.');
  return lines.join('\n');
}

/** `npm start`: the chat adapters whose tokens are set, or else the interactive console. */
export async function start(config: AppConfig, env: Env, log: Logger): Promise<number> {
  const rt = await buildRuntime(config, log, { env });
  if (rt.backend.kind === 'simulated') log.warn('backend: simulated fleet: every reply says so; set RWINSTA_BACKEND=wts on Windows');
  const wanted = await loadConfiguredAdapters(env);
  if (wanted.length === 0) {
    const code = await runRepl(rt.bot, { user: config.consoleUser, input: process.stdin, output: process.stdout, banner: consoleBanner(rt, config) });
    // Interrupted: what was cut short is audited; nothing more may start, so leave now.
    if (code === INTERRUPTED_EXIT_CODE) await exitNow(code, rt.backend.kind === 'wts');
    await finish(code, await rt.close());
    return code;
  }
  keepRunningThroughStrayErrors(log);
  const running: ChatAdapter[] = [];
  try {
    for (const factory of wanted) {
      running.push(await factory.start({ bot: rt.bot, env, log, audit: rt.audit, access: rt.access }));
      log.info(`${factory.name} adapter started`);
    }
  } catch (e) {
    for (const a of running) await a.stop().catch(() => undefined);
    await rt.close();
    throw e;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('stopping');
  for (const a of running) await a.stop().catch((e: unknown) => log.warn(`${a.name}: ${String(e)}`));
  const stuck = await rt.close();
  if (stuck > 0) log.warn(`${stuck} thread(s) still blocked in hung server calls; exiting without waiting for them`);
  await finish(0, stuck);
  return 0;
}
