/**
 * The core's public face: everything an adapter or the app may use. Adapters import nothing deeper
 * (test/architecture.test.ts enforces it), so the core can rearrange its rooms freely.
 */
export { Bot, type BotDeps, type BotRequest, type ExpiredApproval, type ExpiredConfirmation } from './bot.js';
export { MAX_REJECTION_NOTE } from './approval-flow.js';
export { MAX_AUDIT_COMMAND, type AuditDecision, type AuditParticipant, type AuditRecord, type AuditSink, type AuditTarget } from './audit.js';
export { callerKey, callerLabel, type Caller, type Platform } from './caller.js';
export { systemClock, type Clock } from './clock.js';
export { CONSOLE_NAMES, slashNames, type CommandNames } from './command-names.js';
export type { IdentityHints, IdentityResolution, IdentityResolver, WindowsAccount } from './ports/identity.js';
export { silentLogger, type Logger } from './logger.js';
export { ACTIONS, PERMISSIONS, isDestructive, type Action, type ActingAction, type Permission } from './actions.js';
export type { Layout, Verb } from './grammar/command.js';
export { checkServerName } from './grammar/hostname.js';
export { helpText, usageOf } from './grammar/usage.js';
export { splitVerb, specOf, verbNamed, VERB_TABLE } from './verbs/table.js';
export type { ChatSpec, UsageLine, VerbSpec } from './verbs/spec.js';
export { STATE_CHOICES, SWITCHES, type OptionSpec, type SwitchName, type SwitchSpec } from './verbs/switches.js';
export type { AccessModel } from './policy/access-model.js';
export { participantsLine, type Participant } from './participants.js';
export type { ChannelNames } from './ports/channel-names.js';
export { formatClockSeconds } from './render/format.js';
export { MemoryStateStore } from './ports/memory-state-store.js';
export { StateUnavailable, isStateUnavailable, type StateStore } from './ports/state-store.js';
export { Policy } from './policy/policy.js';
export { renderText, sectionLines, SIMULATED_NOTE } from './render/text.js';
export { exitCodeOf, type ApprovalRequest, type Reply, type ReplyStatus, type Section } from './results.js';
export { DEFAULT_SETTINGS, type BotSettings } from './settings.js';
export { qualifiedUser, type Session } from '../wts/session.js';
