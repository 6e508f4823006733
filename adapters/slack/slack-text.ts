/**
 * What users type reaches the bot with &, < and > HTML-escaped, so any real < … > in it is Slack's
 * own markup: a link (`<https://rds01.corp|rds01.corp>`, sent when an admin turns on "escape
 * channels, users and links"), a mention or a channel. The label, or else the target, is what the
 * user typed; then the entities are undone, &amp; last.
 */
export function commandText(raw: string): string {
  return raw
    .replace(/<[^<>|]*\|([^<>]*)>/g, '$1')
    .replace(/<([^<>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The three entities of mrkdwn undone: a message's fallback text as its reader sees it. */
export function unescapeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** mrkdwn (and the fallback text of a message) must have &, < and > escaped, or `<!channel>` pings. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text for a ``` block: escaped, and no run of three backticks to end the block early. */
export function codeBlockText(lines: readonly string[]): string {
  return `\`\`\`${escapeMrkdwn(lines.join('\n')).replace(/```/g, '`\u200b`\u200b`')}\`\`\``;
}
