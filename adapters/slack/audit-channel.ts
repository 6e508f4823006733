import type { MirroredAudit } from '../shared/mirrored-audit.js';
import { auditLine, isChannelWorthy, type LineStyle } from '../shared/audit-line.js';
import { slackPerson, slackTime } from './blocks.js';
import { escapeMrkdwn } from './slack-text.js';
import type { WebClient } from './web-client.js';

/** What users typed is escaped, so `<!channel>` in a command cannot ping anyone; people are mentions. */
const SLACK_LINE: LineStyle = { text: escapeMrkdwn, person: slackPerson, time: (at) => slackTime(at, 'UTC') };

/**
 * Posts every action and denial to a Slack channel as well as to the audit file. The file stays the
 * record of truth: a failed post is logged by the mirror and never holds up an action.
 */
export function mirrorAuditToChannel(audit: MirroredAudit, api: WebClient, channel: string, active: () => boolean): void {
  audit.addMirror(async (r) => {
    if (!active() || !isChannelWorthy(r)) return;
    await api.chat.postMessage({ channel, text: auditLine(r, SLACK_LINE), unfurl_links: false, unfurl_media: false });
  });
}
