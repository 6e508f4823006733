import type { AccessModel, Bot, Logger } from '../../src/core/index.js';
import type { AckObserver } from './ack-observer.js';
import type { Backoff } from './connection-keeper.js';
import type { Leadership } from './leadership.js';
import type { MirroredAudit } from './mirrored-audit.js';
import type { Env } from '../../src/config/env-readers.js';

/** What /readyz says of a chat adapter. */
export interface AdapterStatus {
  /** Serving, or standing by on purpose (another instance holds Discord's gateway). */
  ready: boolean;
  /** Why it is not ready, or a note on a ready one ("standby: …"); empty when simply connected. */
  detail: string;
}

/**
 * A running chat transport. It connects in the background: a platform it cannot reach is tried
 * again with capped backoff, a token the platform refuses stops it (AdapterDeps.onGaveUp).
 */
export interface ChatAdapter {
  readonly name: string;
  status(): AdapterStatus;
  /**
   * Stops taking new work: closes the inbound connection (Slack's socket or listener, Discord's
   * gateway, whose lease it gives up so a standby takes over). Replies under way carry on.
   */
  quiesce(): Promise<void>;
  /** Deliveries being handled now. */
  readonly busy: number;
  /** Resolves when no delivery is being handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface AdapterDeps {
  bot: Bot;
  env: Env;
  log: Logger;
  /** Register an audit mirror (an audit channel); the file stays the record of truth. */
  audit: MirroredAudit;
  /** The access file's content, e.g. to know which Slack user groups matter. */
  access: AccessModel;
  /** Told each acknowledgement's latency (the ack histogram at /metrics). */
  ackObserver?: AckObserver;
  /**
   * Set when instances share their state: an adapter whose platform allows one connection across
   * them (Discord's gateway) asks for the lease under its name and connects only while it holds it.
   */
  exclusive?: (name: string) => Leadership;
  /** Told, with the sentence naming the variable, when the adapter gives up for good (a refused token). */
  onGaveUp?: (why: string) => void;
  /** How reconnection attempts are spaced (tests shorten it). */
  backoff?: Backoff;
}

/** How main finds and starts a chat adapter (Slack, Discord) when its tokens are set. */
export interface AdapterFactory {
  readonly name: string;
  isConfigured(env: Env): boolean;
  /** Validates the adapter's own environment keys; throws ConfigError naming the bad key. */
  checkConfig(env: Env): string[];
  /** Validates its settings (ConfigError) and returns at once, connecting in the background. */
  start(deps: AdapterDeps): Promise<ChatAdapter>;
  /** Extra CLI verbs: `rwinsta-bot <adapter name> <subcommand>` (e.g. `slack manifest`). */
  subcommands?: Readonly<Record<string, AdapterSubcommand>>;
}

export interface AdapterSubcommand {
  description: string;
  /** Returns the process exit code. */
  run(env: Env, args: readonly string[], out: NodeJS.WritableStream): Promise<number>;
}
