import { participantsLine, SIMULATED_NOTE, sectionLines, type Participant, type Reply, type ReplyStatus } from '../../src/core/index.js';
import { ButtonStyle, ComponentType, escapeMarkdown, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';

// Discord's limits.
export const MAX_CONTENT = 2000;
export const MAX_DESCRIPTION = 4096;
export const MAX_EMBEDS = 10;
export const MAX_EMBED_TOTAL = 6000;
/** The reply plus four follow-ups; more would flood the channel. */
export const MAX_MESSAGES = 5;

export const CONFIRM_PREFIX = 'rwinsta:confirm:';
export const CANCEL_PREFIX = 'rwinsta:cancel:';
export const APPROVE_PREFIX = 'rwinsta:approve:';
export const REJECT_PREFIX = 'rwinsta:reject:';

export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

const COLORS: Record<ReplyStatus, number> = {
  ok: 0x2e7d32,
  help: 0x546e7a,
  partial: 0xf9a825,
  failed: 0xc62828,
  denied: 0xc62828,
  usage: 0x546e7a,
  confirm: 0xef6c00,
  'awaiting-approval': 0xef6c00,
  rejected: 0x546e7a,
  cancelled: 0x546e7a,
  expired: 0x546e7a,
  'rate-limited': 0xf9a825,
  refused: 0xc62828,
};

function codeChunks(lines: string[]): string[] {
  const room = MAX_DESCRIPTION - 8; // the fences and their newlines
  const chunks: string[] = [];
  let cur: string[] = [];
  let size = 0;
  for (const raw of lines) {
    const line = raw.replace(/```/g, 'ˋˋˋ').slice(0, room - 1);
    if (size + line.length + 1 > room && cur.length) {
      chunks.push(cur.join('\n'));
      cur = [];
      size = 0;
    }
    cur.push(line);
    size += line.length + 1;
  }
  if (cur.length) chunks.push(cur.join('\n'));
  return chunks.map((c) => `\`\`\`\n${c}\n\`\`\``);
}

function buttons(id: string): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Confirm', custom_id: `${CONFIRM_PREFIX}${id}` },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Cancel', custom_id: `${CANCEL_PREFIX}${id}` },
    ],
  };
}

function approvalButtons(id: string): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Approve', custom_id: `${APPROVE_PREFIX}${id}` },
      { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Reject', custom_id: `${REJECT_PREFIX}${id}` },
    ],
  };
}

/** A person as Discord shows people: a mention, which pings nobody (allowed_mentions is empty). */
export function discordPerson(p: Pick<Participant, 'platform' | 'userId' | 'userName'>): string {
  return p.platform === 'discord' && /^\d{15,21}$/.test(p.userId) ? `<@${p.userId}>` : escapeMarkdown(p.userName || p.userId);
}

/** A time as Discord shows it: in each reader's own time zone, with seconds. */
export function discordTime(at: number): string {
  return `<t:${Math.floor(at / 1000)}:T>`;
}

/** Who requested, confirmed and approved it, and when, as a small line under the summary. */
function participantsText(ps: readonly Participant[]): string {
  return `\n-# ${participantsLine(ps, discordPerson, discordTime)}`;
}

/**
 * A reply as Discord messages within its limits: the summary as content, each section as embeds
 * of monospace text, Confirm/Cancel buttons for a confirmation, the simulated notice. Output that
 * does not fit one message continues in follow-ups, up to MAX_MESSAGES, then says what was cut.
 */
export function renderDiscord(reply: Reply, timeZone?: string): DiscordMessage[] {
  const color = COLORS[reply.status];
  const descriptions = reply.sections.flatMap((s) => {
    const lines = sectionLines(s, { timeZone });
    if (s.kind === 'text') return [escapeMarkdown(lines.join('\n')).slice(0, MAX_DESCRIPTION)];
    return codeChunks(lines);
  });
  const note = `${reply.participants?.length ? participantsText(reply.participants).slice(0, 600) : ''}${reply.simulated ? `\n-# ${SIMULATED_NOTE}` : ''}`;
  const summary = escapeMarkdown(reply.summary);
  const components = reply.confirmation ? [buttons(reply.confirmation.id)] : reply.approval ? [approvalButtons(reply.approval.id)] : [];
  const first: DiscordMessage = { content: `${summary.slice(0, MAX_CONTENT - note.length)}${note}`, embeds: [], components };
  const messages: DiscordMessage[] = [first];
  let total = 0;
  for (const d of descriptions) {
    let cur = messages[messages.length - 1] as DiscordMessage;
    if (cur.embeds.length >= MAX_EMBEDS || total + d.length > MAX_EMBED_TOTAL) {
      cur = { content: `${summary.slice(0, MAX_CONTENT - 20)} (continued)`, embeds: [], components: [] };
      messages.push(cur);
      total = 0;
    }
    cur.embeds.push({ description: d, color });
    total += d.length;
  }
  if (messages.length > MAX_MESSAGES) {
    const cut = messages.splice(MAX_MESSAGES).reduce((n, m) => n + m.embeds.length, 0);
    const last = messages[MAX_MESSAGES - 1] as DiscordMessage;
    last.content = `${last.content.slice(0, MAX_CONTENT - 120)}\n…${cut} more part${cut === 1 ? '' : 's'} not shown: narrow the query (a user, a state).`;
  }
  return messages;
}
