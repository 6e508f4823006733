import { describe } from 'vitest';
import { MemoryStateStore } from '../../src/core/ports/memory-state-store.js';
import type { StateStore } from '../../src/core/ports/state-store.js';
import { silentLogger } from '../../src/core/logger.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.js';
import { stateStoreContract } from './state-store-contract.js';

stateStoreContract('in memory (one process)', async () => {
  const stores = new Map<string, StateStore>();
  return {
    open: async (prefix = 'rwinsta:') => {
      let s = stores.get(prefix);
      if (!s) stores.set(prefix, (s = new MemoryStateStore()));
      return s;
    },
    close: async () => undefined,
  };
});

describe.skipIf(skipWithoutRedis())('on a real redis-server', () => {
  stateStoreContract('Redis (each open() is another instance with its own connection)', async () => {
    const server = await new RedisServer().start();
    const opened: StateStore[] = [];
    return {
      open: async (prefix = 'rwinsta:') => {
        const s = new RedisStateStore({ connection: { host: '127.0.0.1', port: server.port, db: 0, tls: false, display: server.url }, prefix, log: silentLogger });
        opened.push(s);
        return s;
      },
      close: async () => {
        for (const s of opened) await s.close();
        await server.stop();
      },
    };
  });
});
