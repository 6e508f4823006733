/**
 * The one action vocabulary: what a verb does to sessions. The access file grants these, a plan
 * carries one, the audit records it. `bulk` and `force` are not actions but permissions that widen
 * one: several sessions at once, and acting without the confirmation.
 */
export const ACTIONS = ['query', 'disconnect', 'logoff', 'message'] as const;
export type Action = (typeof ACTIONS)[number];

/** What self-service may do: people listing, logging off or disconnecting their own sessions. */
export type SelfServiceAction = Extract<Action, 'query' | 'logoff' | 'disconnect'>;

/** Actions that change a session (everything but query). */
export type ActingAction = Exclude<Action, 'query'>;

export const PERMISSIONS = [...ACTIONS, 'bulk', 'force'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Actions that end or drop a session: rate-limited per caller, and shown in audit channels. */
export function isDestructive(a: Action): a is 'logoff' | 'disconnect' {
  return a === 'logoff' || a === 'disconnect';
}

export function isActing(a: Action): a is ActingAction {
  return a !== 'query';
}
