import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { MemoryStateStore } from '../core/ports/memory-state-store.js';
import type { StateStore } from '../core/ports/state-store.js';
import type { Env } from '../config/env-readers.js';
import { RedisStateStore } from './redis-state-store.js';
import { readStateConfig } from './state-config.js';

export { readStateConfig, DEFAULT_STATE_PREFIX, type StateConfig } from './state-config.js';
export { RedisStateStore, DEFAULT_STATE_TIMEOUT_MS } from './redis-state-store.js';

/**
 * The store the environment asks for: in this process (no RWINSTA_STATE_URL), or shared in Redis.
 * Throws ConfigError naming the variable on a bad setting. Never waits for Redis: if it is down at
 * start, the bot starts anyway, refuses what needs the store, and connects when Redis comes up.
 */
export function createStateStore(env: Env, clock: Clock, log: Logger): StateStore {
  const config = readStateConfig(env);
  if (config.kind === 'memory') return new MemoryStateStore(() => clock.now());
  log.info(`state store: Redis at ${config.redis.display}${config.redis.tls ? ' (TLS)' : ''}, keys under "${config.prefix}"`);
  return new RedisStateStore({ connection: config.redis, prefix: config.prefix, now: () => clock.now(), log });
}
