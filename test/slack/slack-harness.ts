import { silentLogger } from '../../src/log.js';
import { DEFAULT_COMMANDS, type SlackConfig } from '../../adapters/slack/config.js';
import { SlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { EMULATOR_TOKENS, SlackEmulator } from '../emulators/slack/slack-emulator.js';
import { FULL_ACCESS, makeHarness, type Harness, type HarnessOptions } from '../support/core-harness.js';

export interface SlackRig {
  emu: SlackEmulator;
  adapter: SlackAdapter;
  h: Harness;
  stop(): Promise<void>;
}

export function slackConfig(emu: SlackEmulator, extra: Partial<SlackConfig> = {}): SlackConfig {
  return {
    botToken: EMULATOR_TOKENS.bot,
    appToken: EMULATOR_TOKENS.app,
    mode: 'socket',
    port: 0,
    apiUrl: emu.apiUrl,
    commands: { ...DEFAULT_COMMANDS },
    resultsInChannel: true,
    userGroupCacheMs: 60_000,
    ...extra,
  };
}

/** The real Bolt app, in Socket Mode, against a fresh local Slack. */
export async function startSlackRig(o: { config?: Partial<SlackConfig>; harness?: HarnessOptions } = {}): Promise<SlackRig> {
  const emu = new SlackEmulator();
  await emu.start();
  emu.userGroups.set('SHELPDESK', ['UHELP1', 'UHELP2']);
  const h = makeHarness({ access: FULL_ACCESS, ...o.harness });
  const adapter = await SlackAdapter.start({ bot: h.bot, config: slackConfig(emu, o.config), log: silentLogger, userGroups: ['SHELPDESK'], audit: h.mirror });
  if ((o.config?.mode ?? 'socket') === 'socket') await emu.connected();
  return {
    emu,
    adapter,
    h,
    stop: async () => {
      await h.fleet.close();
      await adapter.stop();
      await emu.stop();
    },
  };
}

/** The text of a posted message: its fallback text and every section and context. */
export function messageText(m: Record<string, unknown>): string {
  const blocks = (m.blocks ?? []) as { text?: { text?: string }; elements?: { text?: string | { text?: string } }[] }[];
  const parts = [String(m.text ?? '')];
  for (const b of blocks) {
    if (b.text?.text) parts.push(b.text.text);
    for (const e of b.elements ?? []) parts.push(typeof e.text === 'string' ? e.text : (e.text?.text ?? ''));
  }
  return parts.join('\n');
}

export function buttonValue(m: Record<string, unknown>, actionId: string): string {
  const blocks = (m.blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string }[] }[];
  for (const b of blocks) for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button in the message`);
}
