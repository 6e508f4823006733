import { describe, expect, it } from 'vitest';
import { CANCEL_ACTION, CONFIRM_ACTION, MAX_BLOCKS, MAX_MESSAGE_CHARS, MAX_MESSAGES, MAX_SECTION_TEXT, renderSlack, type SlackMessage } from '../../adapters/slack/blocks.js';
import type { Reply } from '../../src/core/results.js';
import type { Session } from '../../src/wts/session.js';
import { unescapeEntities } from './slack-harness.js';

function sessions(n: number, server = 'rds01'): Session[] {
  return Array.from({ length: n }, (_, i) => ({ server, id: i + 2, name: `RDP-Tcp#${i}`, user: `user${i}`, domain: 'CORP', state: 'Active' as const, idleMs: 60_000 * i }));
}

function reply(extra: Partial<Reply>): Reply {
  return { status: 'ok', summary: 'rds01: many sessions.', sections: [], private: false, simulated: true, requestId: 'r1', ...extra };
}

type AnyBlock = { type: string; text?: { type: string; text: string }; elements?: { type?: string; text?: unknown; action_id?: string; value?: string; style?: string }[] };
const blocksOf = (m: SlackMessage | undefined): AnyBlock[] => (m?.blocks ?? []) as AnyBlock[];
const sectionTexts = (m: SlackMessage | undefined): { type: string; text: string }[] => blocksOf(m).flatMap((b) => (b.type === 'section' && b.text ? [b.text] : []));
const charsOf = (m: SlackMessage): number => JSON.stringify(m.blocks).length;

/** Every session row shown, across all messages, with the code fences and escapes undone. */
function tableRows(messages: SlackMessage[]): string[] {
  return messages.flatMap((m) => sectionTexts(m).filter((t) => t.text.startsWith('```'))).flatMap((t) => unescapeEntities(t.text.slice(3, -3)).split('\n')).filter((l) => /user\d+/.test(l));
}

describe('Block Kit rendering within Slack limits', () => {
  it('shows the summary, the table in monospace, and the simulated-fleet notice', () => {
    const [m] = renderSlack(reply({ sections: [{ kind: 'sessions', sessions: sessions(3), showServer: false, verbose: false }] }), 'UTC');
    const [head, table] = sectionTexts(m);
    expect(head).toEqual({ type: 'plain_text', text: '\u2705 rds01: many sessions.', emoji: false });
    expect(table?.type).toBe('mrkdwn');
    expect(table?.text).toMatch(/^```SESSIONNAME\s+USERNAME\s+ID\s+STATE\s+IDLE\s+LOGON \(UTC\)\s+CLIENT\nRDP-Tcp#0\s+CORP\\user0\s+2\s+Active/);
    expect(JSON.stringify(blocksOf(m).at(-1))).toMatch(/simulated fleet: no real session was touched/);
    expect(m?.text).toBe('rds01: many sessions.');
  });

  it('splits a long table into sections of at most 3,000 characters, each of whole lines', () => {
    const messages = renderSlack(reply({ sections: [{ kind: 'sessions', sessions: sessions(200), showServer: true, verbose: true }] }));
    const texts = messages.flatMap((m) => sectionTexts(m));
    expect(texts.length).toBeGreaterThan(4);
    for (const t of texts) expect(t.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    const rows = tableRows(messages);
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => /^rds01\s+RDP-Tcp#\d+\s+CORP\\user\d+\s+\d+\s+Active/.test(r))).toBe(true);
  });

  it('keeps every message within 50 blocks and the message size, at most 4 messages, and counts what it left out', () => {
    const many = reply({ sections: Array.from({ length: 400 }, (_, i) => ({ kind: 'sessions' as const, sessions: sessions(3, `srv${i}`), showServer: true, verbose: false })) });
    const messages = renderSlack(many);
    expect(messages).toHaveLength(MAX_MESSAGES);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
      expect(charsOf(m)).toBeLessThan(MAX_MESSAGE_CHARS);
    }
    const shown = tableRows(messages).length;
    const note = JSON.stringify(messages.at(-1)?.blocks);
    const left = Number(/…and (\d+) more lines not shown/.exec(note)?.[1]);
    // Each section is a header and three rows: every line not shown is counted.
    expect(shown % 3).toBe(0);
    expect(left).toBe(400 * 4 - (shown / 3) * 4);
    expect(note).toMatch(/simulated fleet/);
    expect(messages[1]?.text).toBe('rds01: many sessions. (continued)');
  });

  it('splits by characters too: a few huge sections spread over messages under the size limit', () => {
    const huge = reply({ sections: Array.from({ length: 20 }, () => ({ kind: 'sessions' as const, sessions: sessions(40), showServer: true, verbose: true })) });
    const messages = renderSlack(huge);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(charsOf(m)).toBeLessThan(MAX_MESSAGE_CHARS);
  });

  it('puts Confirm (danger) and Cancel buttons carrying the confirmation ID on the last message', () => {
    const [m] = renderSlack(reply({ status: 'confirm', summary: 'Confirm: log off session 3?', confirmation: { id: 'abc', expiresAt: 0, actionLabel: 'Log off session 3 (CORP\\jdoe, Active) on rds01' } }));
    const actions = blocksOf(m).find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => [e.action_id, e.value, e.style])).toEqual([
      [CONFIRM_ACTION, 'abc', 'danger'],
      [CANCEL_ACTION, 'abc', undefined],
    ]);
  });

  it('escapes what mrkdwn would act on; plain text is shown as typed', () => {
    const [m] = renderSlack(reply({ status: 'failed', summary: 'Error: "<!channel>" & *x* is not a session.', sections: [{ kind: 'outcomes', outcomes: [{ server: 'rds01', id: 3, user: 'CORP\\<!here>', state: 'Active', result: 'failed', detail: '```boom```' }] }] }));
    const [head, table] = sectionTexts(m);
    expect(head).toMatchObject({ type: 'plain_text', text: '\u274c Error: "<!channel>" & *x* is not a session.' });
    expect(table?.text).toContain('CORP\\&lt;!here&gt;');
    expect(table?.text).not.toContain('<!here>');
    // A run of backticks in the data cannot close the code block early.
    expect(table?.text.slice(3, -3)).not.toContain('```');
    expect(m?.text).toBe('Error: "&lt;!channel&gt;" &amp; *x* is not a session.');
  });

  it('free text is plain; help keeps its columns in monospace', () => {
    const [text] = renderSlack(reply({ status: 'confirm', sections: [{ kind: 'text', text: 'Their programs close.\nExpires in 2 min.' }] }));
    expect(sectionTexts(text)[1]).toMatchObject({ type: 'plain_text', text: 'Their programs close.\nExpires in 2 min.' });
    const [help] = renderSlack(reply({ status: 'help', private: true, sections: [{ kind: 'text', text: 'qwinsta <server>   list' }] }));
    expect(sectionTexts(help)[1]?.text).toBe('```qwinsta &lt;server&gt;   list```');
  });
});
