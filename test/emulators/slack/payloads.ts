/** The emulated workspace. */
export const TEAM = { id: 'T0EMU', domain: 'emulator' } as const;
export const APP_ID = 'A0RWINSTA';
export const HELPDESK_CHANNEL = 'C0HELPDESK';

let triggers = 0;
/** Unique per delivery, shaped like Slack's (`<number>.<number>.<hex>`). */
export function newTriggerId(): string {
  return `${Date.now()}.${++triggers}.${Math.random().toString(16).slice(2, 14)}`;
}

export interface SlashCommand {
  command: string;
  text: string;
  user_id: string;
  user_name?: string;
  channel_id?: string;
}

export interface ButtonPress {
  user_id: string;
  user_name?: string;
  action_id: string;
  value: string;
  channel_id?: string;
  /** The message the button sits on: a ts from chat.postMessage, or made up for a response_url post. */
  message_ts?: string;
  is_ephemeral?: boolean;
}

/** A slash command's payload as Slack sends it (form fields in HTTP mode, JSON in Socket Mode). */
export function slashCommandPayload(c: SlashCommand, responseUrl: string): Record<string, string> {
  const channel = c.channel_id ?? HELPDESK_CHANNEL;
  return {
    token: 'verification-token-unused',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: channel,
    channel_name: channel === HELPDESK_CHANNEL ? 'helpdesk' : 'other',
    user_id: c.user_id,
    user_name: c.user_name ?? c.user_id.toLowerCase(),
    command: c.command,
    text: c.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: newTriggerId(),
  };
}

/** A block_actions payload: one button pressed on a message. */
export function blockActionsPayload(p: ButtonPress, responseUrl: string): Record<string, unknown> {
  const channel = p.channel_id ?? HELPDESK_CHANNEL;
  const ts = p.message_ts ?? '1700000000.000100';
  const name = p.user_name ?? p.user_id.toLowerCase();
  return {
    type: 'block_actions',
    user: { id: p.user_id, username: name, name, team_id: TEAM.id },
    api_app_id: APP_ID,
    token: 'verification-token-unused',
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: p.is_ephemeral ?? false },
    trigger_id: newTriggerId(),
    team: { id: TEAM.id, domain: TEAM.domain },
    channel: { id: channel, name: channel === HELPDESK_CHANNEL ? 'helpdesk' : 'other' },
    message: { type: 'message', ts, text: 'prompt' },
    response_url: responseUrl,
    actions: [{ action_id: p.action_id, block_id: 'rwinsta_confirmation', value: p.value, type: 'button', text: { type: 'plain_text', text: 'button' }, action_ts: `${Date.now() / 1000}` }],
  };
}

export interface ViewSubmission {
  user_id: string;
  user_name?: string;
  /** The modal as views.open received it (its callback_id and private_metadata come back). */
  view: Record<string, unknown>;
  viewId: string;
  /** Typed values: block_id → action_id → value. */
  values: Record<string, Record<string, string | null>>;
}

/** A view_submission payload: a modal's Submit pressed. */
export function viewSubmissionPayload(v: ViewSubmission): Record<string, unknown> {
  const name = v.user_name ?? v.user_id.toLowerCase();
  const values = Object.fromEntries(Object.entries(v.values).map(([block, actions]) => [block, Object.fromEntries(Object.entries(actions).map(([a, value]) => [a, { type: 'plain_text_input', value }]))]));
  return {
    type: 'view_submission',
    team: { id: TEAM.id, domain: TEAM.domain },
    user: { id: v.user_id, username: name, name, team_id: TEAM.id },
    api_app_id: APP_ID,
    token: 'verification-token-unused',
    trigger_id: newTriggerId(),
    view: { ...v.view, id: v.viewId, team_id: TEAM.id, app_id: APP_ID, bot_id: 'B0BOT', state: { values }, hash: 'h', root_view_id: v.viewId, previous_view_id: null },
    response_urls: [],
  };
}
