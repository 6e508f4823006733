import { describe, expect, it } from 'vitest';
import { ADAPTERS, loadConfiguredAdapters } from '../../src/app/adapters-registry.js';

describe('the adapter registry', () => {
  it('answers isConfigured with the factory\'s own function, under the factory\'s name', async () => {
    for (const entry of ADAPTERS) {
      const factory = await entry.load();
      expect(factory.name).toBe(entry.name);
      expect(entry.isConfigured).toBe(factory.isConfigured);
    }
  });
  it('loads only the adapters whose tokens are set', async () => {
    expect(await loadConfiguredAdapters({})).toEqual([]);
    expect((await loadConfiguredAdapters({ SLACK_BOT_TOKEN: 'xoxb-1' })).map((a) => a.name)).toEqual(['slack']);
  });
});
