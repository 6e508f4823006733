/**
 * What a slash command or a button press lacks for the bot to act on it, or undefined when it is
 * whole. Slack never sends such payloads; a proxy, a replay tool or a bug might, and the core must
 * never see a command from an undefined user or answer to nowhere.
 */
export function payloadProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if ('command' in b) return missing('slash command', b, ['command', 'user_id', 'channel_id', 'response_url', 'trigger_id']);
  if (b.type !== 'block_actions') return undefined;
  const user = b.user as Record<string, unknown> | undefined;
  if (typeof user?.id !== 'string' || !user.id) return 'button press without user.id';
  const actions = b.actions;
  if (!Array.isArray(actions) || actions.length === 0) return 'button press without actions';
  const action = actions[0] as Record<string, unknown> | null;
  if (typeof action?.action_id !== 'string') return 'button press without actions[0].action_id';
  return missing('button press', b, ['response_url', 'trigger_id']);
}

function missing(what: string, b: Record<string, unknown>, fields: readonly string[]): string | undefined {
  const absent = fields.filter((f) => typeof b[f] !== 'string' || b[f] === '');
  return absent.length ? `${what} without ${absent.join(', ')}` : undefined;
}
