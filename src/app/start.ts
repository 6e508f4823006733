import { INTERRUPTED_EXIT_CODE, runRepl } from '../../adapters/console/repl.js';
import { loadConfiguredAdapters } from './adapters-registry.js';
import type { AppConfig } from '../config/app-config.js';
import type { Env } from '../config/env-readers.js';
import type { Logger } from '../core/logger.js';
import { buildRuntime, type Runtime } from './runtime.js';
import { exitNow } from './exit-now.js';
import { finish } from './finish.js';
import { serveChat } from './serve-chat.js';

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
  const wanted = await loadConfiguredAdapters(env);
  if (wanted.length > 0) return serveChat(config, env, log, wanted);
  const rt = await buildRuntime(config, log, { env });
  if (rt.backend.kind === 'simulated') log.warn('backend: simulated fleet: every reply says so; set RWINSTA_BACKEND=wts on Windows');
  const code = await runRepl(rt.bot, { user: config.consoleUser, input: process.stdin, output: process.stdout, banner: consoleBanner(rt, config) });
  // Interrupted: what was cut short is audited; nothing more may start, so leave now.
  if (code === INTERRUPTED_EXIT_CODE) await exitNow(code, rt.backend.kind === 'wts');
  await finish(code, await rt.close());
  return code;
  return 0;
}
