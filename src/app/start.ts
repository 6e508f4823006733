import { runRepl } from '../../adapters/console/repl.js';
import { ADAPTERS } from './adapters-registry.js';
import type { AppConfig } from '../config/app-config.js';
import type { Env } from '../config/env-readers.js';
import type { Logger } from '../core/logger.js';
import { buildRuntime, type Runtime } from './runtime.js';
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
  return lines.join('\n');
}

/** `npm start`: the chat adapters whose tokens are set, or else the interactive console. */
export async function start(config: AppConfig, env: Env, log: Logger): Promise<number> {
  const wanted = ADAPTERS.filter((a) => a.isConfigured(env));
  if (wanted.length > 0) return serveChat(config, env, log, wanted);
  const rt = await buildRuntime(config, log);
  if (rt.backend.kind === 'simulated') log.warn('backend: simulated fleet: every reply says so; set RWINSTA_BACKEND=wts on Windows');
  await runRepl(rt.bot, { user: config.consoleUser, input: process.stdin, output: process.stdout, banner: consoleBanner(rt, config) });
  await finish(0, await rt.close());
  return 0;
}
