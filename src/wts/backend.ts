import type { ProcessInfo } from './process.js';
import type { Session } from './session.js';

export interface MessageOptions {
  title: string;
  text: string;
  /** Seconds the message box stays up (0: until dismissed). */
  timeoutSeconds: number;
  /** Wait for the user to press OK (or the timeout); otherwise return at once. */
  wait: boolean;
}

/** WTSSendMessageW's response: IDOK 1, IDTIMEOUT 32000, IDASYNC 32001 (not waited for). */
export type MessageResponse = 'ok' | 'timeout' | 'async' | 'other';

/**
 * The port every session backend implements. Every method rejects with a WtsError carrying the
 * Win32 code; none may block the event loop.
 */
export interface SessionBackend {
  readonly kind: 'wts' | 'simulated';
  /** Servers this backend knows of by itself (the simulated fleet does; the real one does not). */
  knownServers(): readonly string[];
  listSessions(server: string): Promise<Session[]>;
  /** One session with its times and client; rejects with 7022 when it does not exist. */
  querySession(server: string, id: number): Promise<Session>;
  /**
   * The programs running in one session, or in every session when `sessionId` is undefined. Seeing
   * other users' programs needs the bot's account to be a local administrator there (else error 5).
   */
  listProcesses(server: string, sessionId?: number): Promise<ProcessInfo[]>;
  /** Starts the logoff and returns; callers confirm it by querying until the session is gone. */
  logoff(server: string, id: number): Promise<void>;
  disconnect(server: string, id: number): Promise<void>;
  sendMessage(server: string, id: number, message: MessageOptions): Promise<MessageResponse>;
  close(): Promise<void>;
  /** After close(): threads still blocked in a hung native call (the process must then exit hard). */
  stuckThreads?(): number;
}
