import type { MirroredAudit } from '../shared/mirrored-audit.js';
import { auditLine, isChannelWorthy } from '../shared/audit-line.js';
import { escapeMrkdwn } from './slack-text.js';
import type { WebClient } from './web-client.js';

/**
 * Posts every action and denial to a Slack channel as well as to the audit file. The file stays the
 * record of truth: a failed post is logged by the mirror and never holds up an action.
 */
export function mirrorAuditToChannel(audit: MirroredAudit, api: WebClient, channel: string, active: () => boolean): void {
  audit.addMirror(async (r) => {
    if (!active() || !isChannelWorthy(r)) return;
    // The command is what a user typed: escaped, so `<!channel>` in it cannot ping anyone.
    await api.chat.postMessage({ channel, text: escapeMrkdwn(auditLine(r)), unfurl_links: false, unfurl_media: false });
  });
}
