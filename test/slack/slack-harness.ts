import { DEFAULT_COMMANDS, type SlackConfig } from '../../adapters/slack/config.js';
import { SlackAdapter } from '../../adapters/slack/slack-adapter.js';
import type { Logger } from '../../src/core/logger.js';
import { EMULATOR_TOKENS, SlackEmulator } from '../emulators/slack/slack-emulator.js';
import { FULL_ACCESS, makeHarness, type Harness, type HarnessOptions } from '../support/core-harness.js';

export interface SlackRig {
  emu: SlackEmulator;
  adapter: SlackAdapter;
  h: Harness;
  logs: string[];
  stop(): Promise<void>;
}

/** Keeps what the adapter logs, for tests that check a problem was reported. */
export function memoryLogger(lines: string[]): Logger {
  return {
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

export function slackConfig(emu: SlackEmulator, extra: Partial<SlackConfig> = {}): SlackConfig {
  return {
    botToken: EMULATOR_TOKENS.bot,
    appToken: EMULATOR_TOKENS.app,
    mode: 'socket',
    port: 0,
    host: '127.0.0.1',
    apiUrl: emu.apiUrl,
    commands: { ...DEFAULT_COMMANDS },
    resultsInChannel: true,
    userGroupCacheMs: 60_000,
    ...extra,
  };
}

/**
 * The real Bolt app against a fresh local Slack, on the simulated fleet with FULL_ACCESS: UADMIN1 is
 * an admin, members of user group SHELPDESK (UHELP1, UHELP2) are helpdesk, anyone else has no role.
 */
export async function startSlackRig(o: { config?: Partial<SlackConfig>; harness?: HarnessOptions } = {}): Promise<SlackRig> {
  const emu = new SlackEmulator();
  await emu.start();
  emu.api.userGroups.set('SHELPDESK', ['UHELP1', 'UHELP2']);
  const h = makeHarness({ access: FULL_ACCESS, ...o.harness });
  const logs: string[] = [];
  const adapter = await SlackAdapter.start({ bot: h.bot, config: slackConfig(emu, o.config), log: memoryLogger(logs), userGroups: ['SHELPDESK'], audit: h.mirror });
  if ((o.config?.mode ?? 'socket') === 'socket') await emu.connected();
  return {
    emu,
    adapter,
    h,
    logs,
    stop: async () => {
      await h.fleet.close();
      await adapter.stop();
      await emu.stop();
    },
  };
}

type Json = Record<string, unknown>;

/** mrkdwn's three entities undone, to read a message as its reader would. */
export function unescapeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The text of a message as shown: its fallback text and every section and context element. */
export function messageText(m: Json | undefined): string {
  const blocks = (m?.blocks ?? []) as { text?: { text?: string }; elements?: { text?: string | { text?: string } }[] }[];
  const parts = [String(m?.text ?? '')];
  for (const b of blocks) {
    if (b.text?.text) parts.push(b.text.text);
    for (const e of b.elements ?? []) parts.push(typeof e.text === 'string' ? e.text : (e.text?.text ?? ''));
  }
  return unescapeEntities(parts.join('\n'));
}

export function buttonValue(m: Json | undefined, actionId: string): string {
  const blocks = (m?.blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string }[] }[];
  for (const b of blocks) for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button in the message`);
}

export function hasButtons(m: Json | undefined): boolean {
  return ((m?.blocks ?? []) as { type: string }[]).some((b) => b.type === 'actions');
}
