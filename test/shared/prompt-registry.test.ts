import { describe, expect, it } from 'vitest';
import type { PromptLocation } from '../../adapters/slack/prompts.js';
import { PromptRegistry } from '../../adapters/shared/prompt-registry.js';

describe('PromptRegistry', () => {
  it('gives each prompt location once, and forgets ones never taken after their lifetime', () => {
    let now = 0;
    const r = new PromptRegistry<PromptLocation>(1000, () => now);
    r.remember('a', { kind: 'message', channel: 'C1', ts: '1.1' });
    r.remember('b', { kind: 'response-url', url: 'https://hooks.slack.test/1' });
    expect(r.take('a')).toEqual({ kind: 'message', channel: 'C1', ts: '1.1' });
    expect(r.take('a')).toBeUndefined();
    now = 1500;
    r.remember('c', { kind: 'message', channel: 'C1', ts: '1.2' });
    expect(r.size).toBe(1);
    expect(r.take('b')).toBeUndefined();
  });
});
