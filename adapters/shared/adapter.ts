import type { AccessModel, Bot, Logger } from '../../src/core/index.js';
import type { AckObserver } from './ack-observer.js';
import type { MirroredAudit } from './mirrored-audit.js';
import type { Env } from '../../src/config/env-readers.js';

/** A running chat transport. */
export interface ChatAdapter {
  readonly name: string;
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
}

/** How main finds and starts a chat adapter (Slack, Discord) when its tokens are set. */
export interface AdapterFactory {
  readonly name: string;
  isConfigured(env: Env): boolean;
  /** Validates the adapter's own environment keys; throws ConfigError naming the bad key. */
  checkConfig(env: Env): string[];
  start(deps: AdapterDeps): Promise<ChatAdapter>;
  /** Extra CLI verbs: `rwinsta-bot <adapter name> <subcommand>` (e.g. `slack manifest`). */
  subcommands?: Readonly<Record<string, AdapterSubcommand>>;
}

export interface AdapterSubcommand {
  description: string;
  /** Returns the process exit code. */
  run(env: Env, args: readonly string[], out: NodeJS.WritableStream): Promise<number>;
}
