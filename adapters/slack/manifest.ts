import { CHAT_VERBS } from '../shared/chat-verbs.js';
import type { SlackVerb } from './config.js';
import { CHANNEL_SCOPES } from './channel-names.js';
import { EMAIL_SCOPES } from './email-lookup.js';

/**
 * The app manifest for "Create an app → From a manifest", from the verb table. Socket Mode unless a
 * Request URL is given (HTTP mode). Scopes: commands, chat:write (replies, the audit channel),
 * usergroups:read; users:read and users:read.email only when self-service finds people by their email;
 * channels:read and groups:read only when grants are limited to channels (denials then name them).
 */
export function slackManifest(commands: Record<SlackVerb, string>, requestUrl?: string, options: { emailLookup?: boolean; channelNames?: boolean } = {}): object {
  const slashCommands = CHAT_VERBS.map((spec) => ({
    command: commands[spec.verb as SlackVerb],
    description: spec.summary,
    usage_hint: spec.chat.hint,
    should_escape: false,
    ...(requestUrl ? { url: requestUrl } : {}),
  }));
  return {
    display_information: {
      name: 'rwinsta-bot',
      description: 'List, disconnect, message and log off Windows Remote Desktop sessions',
      background_color: '#1d3557',
    },
    features: {
      bot_user: { display_name: 'rwinsta-bot', always_online: true },
      slash_commands: slashCommands,
    },
    oauth_config: { scopes: { bot: ['commands', 'chat:write', 'usergroups:read', ...(options.emailLookup ? EMAIL_SCOPES : []), ...(options.channelNames ? CHANNEL_SCOPES : [])] } },
    settings: {
      interactivity: requestUrl ? { is_enabled: true, request_url: requestUrl } : { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: !requestUrl,
      token_rotation_enabled: false,
    },
  };
}
