import { silentLogger } from '../src/core/logger.js';
import { MemoryStateStore } from '../src/core/ports/memory-state-store.js';
import type { StateStore } from '../src/core/ports/state-store.js';
import { RedisStateStore } from '../src/state/redis-state-store.js';
import { RedisServer } from '../test/support/redis-server.js';

export type StateKind = 'memory' | 'redis';

/** The state store a benchmark's bot uses: in its process, or in a redis-server of its own on loopback. */
export async function benchState(kind: StateKind = 'memory'): Promise<{ state: StateStore; close(): Promise<void> }> {
  if (kind === 'memory') return { state: new MemoryStateStore(), close: async () => undefined };
  const server = await new RedisServer().start();
  const state = new RedisStateStore({ connection: { host: '127.0.0.1', port: server.port, db: 0, tls: false, display: server.url }, prefix: 'bench:', log: silentLogger });
  await state.ping();
  return {
    state,
    close: async () => {
      await state.close();
      await server.stop();
    },
  };
}
