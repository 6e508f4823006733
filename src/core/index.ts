/**
 * The core's public face: everything an adapter or the app may use. Adapters import nothing deeper
 * (test/architecture.test.ts enforces it), so the core can rearrange its rooms freely.
 */
export { Bot, type BotDeps, type BotRequest, type ExpiredConfirmation } from './bot.js';
export type { AuditDecision, AuditRecord, AuditSink, AuditTarget } from './audit.js';
export { callerKey, callerLabel, type Caller, type Platform } from './caller.js';
export { systemClock, type Clock } from './clock.js';
export type { IdentityHints, IdentityResolution, IdentityResolver, WindowsAccount } from './ports/identity.js';
export { silentLogger, type Logger } from './logger.js';
export type { Verb } from './grammar/command.js';
export { splitVerb } from './grammar/verbs.js';
export type { AccessModel, Action } from './policy/access-model.js';
export { Policy } from './policy/policy.js';
export { renderText, sectionLines, SIMULATED_NOTE } from './render/text.js';
export { exitCodeOf, type Reply, type ReplyStatus, type Section } from './results.js';
export { DEFAULT_SETTINGS, type BotSettings } from './settings.js';
export { qualifiedUser, type Session } from '../wts/session.js';
