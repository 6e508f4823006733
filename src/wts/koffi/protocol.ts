import type { MessageOptions, MessageResponse } from '../backend.js';
import type { BackendOperation } from '../errors.js';
import type { ProcessInfo } from '../process.js';
import type { Session } from '../session.js';

/** What the pool asks a WTS worker thread to do. */
export type WtsRequest =
  | { id: number; op: 'list'; server: string }
  | { id: number; op: 'query' | 'logoff' | 'disconnect'; server: string; session: number }
  | { id: number; op: 'message'; server: string; session: number; message: MessageOptions }
  /** No session: every session's processes (WTS_ANY_SESSION). */
  | { id: number; op: 'processes'; server: string; session?: number };

/** Tells a worker thread to exit between calls (never terminate() a thread that may be inside koffi). */
export const STOP = 'stop';

export type WtsValue = Session[] | Session | ProcessInfo[] | MessageResponse | null;

export type WtsResponse =
  | { id: number; ok: true; value: WtsValue }
  | { id: number; ok: false; code: number; op: BackendOperation; detail?: string };

export interface WorkerInit {
  libraryPath?: string;
}

/** The worker's first message: ready, or why it cannot load the library. */
export type WorkerHello = { ready: true } | { ready: false; error: string };
