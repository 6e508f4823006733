import { describe, expect, it } from 'vitest';
import type { PromptLocation } from '../../adapters/slack/prompts.js';
import { PromptRegistry } from '../../adapters/shared/prompt-registry.js';
import { MemoryStateStore, StateUnavailable, type StateStore } from '../../src/core/index.js';
import { MemoryLog } from '../support/core-harness.js';

describe('PromptRegistry', () => {
  it('gives each prompt location once, and forgets ones never taken after their lifetime', async () => {
    let now = 0;
    const store = new MemoryStateStore(() => now);
    const r = new PromptRegistry<PromptLocation>(store, 'prompt:slack', 1000, new MemoryLog(), () => now);
    await r.remember('a', { kind: 'message', channel: 'C1', ts: '1.1' });
    await r.remember('b', { kind: 'response-url', url: 'https://hooks.slack.test/1' });
    expect(await r.take('a')).toEqual({ kind: 'message', channel: 'C1', ts: '1.1' });
    expect(await r.take('a')).toBeUndefined();
    now = 1500;
    await r.remember('c', { kind: 'message', channel: 'C1', ts: '1.2' });
    expect(await store.count('prompt:slack')).toBe(1);
    expect(await r.take('b')).toBeUndefined();
  });

  it('lives in the shared store: one instance remembers, another takes, once', async () => {
    const store = new MemoryStateStore();
    const a = new PromptRegistry<PromptLocation>(store, 'prompt:slack', 60_000, new MemoryLog());
    const b = new PromptRegistry<PromptLocation>(store, 'prompt:slack', 60_000, new MemoryLog());
    await a.remember('p', { kind: 'message', channel: 'C1', ts: '1.1' });
    expect(await new PromptRegistry<PromptLocation>(store, 'prompt:discord', 60_000, new MemoryLog()).take('p')).toBeUndefined();
    expect(await b.take('p')).toEqual({ kind: 'message', channel: 'C1', ts: '1.1' });
    expect(await a.take('p')).toBeUndefined();
  });

  it('a store that cannot be reached costs the edit of a prompt, logged, never an error', async () => {
    const down = new MemoryStateStore();
    const fail = (): Promise<never> => Promise.reject(new StateUnavailable('Redis at redis://x is away'));
    const broken: StateStore = Object.assign(Object.create(down) as StateStore, { put: fail, take: fail });
    const log = new MemoryLog();
    const r = new PromptRegistry<PromptLocation>(broken, 'prompt:slack', 60_000, log);
    await r.remember('p', { kind: 'message', channel: 'C1', ts: '1.1' });
    expect(await r.take('p')).toBeUndefined();
    expect(log.lines).toEqual([
      'warn prompt:slack: could not remember where confirmation p was shown (Redis at redis://x is away); its expiry will not be shown on it',
      'warn prompt:slack: could not look up where confirmation p was shown (Redis at redis://x is away)',
    ]);
  });
});
