/** Where a Slack confirmation prompt was posted, so that its expiry can be shown on it later. */
export type PromptLocation =
  /** Posted with chat.postMessage: chat.update can replace it at any time. */
  | { kind: 'message'; channel: string; ts: string }
  /** Posted through the command's response_url (ephemeral, or the bot is not in the channel). */
  | { kind: 'response-url'; url: string };
