/** WTS_CONNECTSTATE_CLASS, by name. The numeric values are the Win32 ones (index in this list). */
export const SESSION_STATES = [
  'Active',
  'Connected',
  'ConnectQuery',
  'Shadow',
  'Disconnected',
  'Idle',
  'Listen',
  'Reset',
  'Down',
  'Init',
] as const;

export type SessionState = (typeof SESSION_STATES)[number];

export function stateFromCode(code: number): SessionState {
  return SESSION_STATES[code] ?? 'Down';
}

/** One Remote Desktop session on one server. Key: (server, id); IDs are reused after logoff. */
export interface Session {
  server: string;
  id: number;
  /** WinStation name: `console`, `RDP-Tcp#7`, `services`, or a listener such as `RDP-Tcp`. */
  name: string;
  /** Empty when no user is attached (services, listeners, a logon screen). */
  user: string;
  domain: string;
  state: SessionState;
  logonTime?: Date;
  disconnectTime?: Date;
  lastInputTime?: Date;
  /** Idle time in ms as Windows computes it: since last input, or since disconnect when disconnected. */
  idleMs?: number;
  clientName?: string;
  clientAddress?: string;
  /** The traffic Windows counts for the session (WTSINFOW), shown by `qwinsta /counter`. */
  counters?: SessionCounters;
}

/** WTSINFOW's counters: bytes and frames (protocol packets) from and to the client, each a DWORD. */
export interface SessionCounters {
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  framesOut: number;
}

/** A listener or the services session is never a user session. */
export function isUserSession(s: Session): boolean {
  return s.id !== 0 && s.state !== 'Listen' && s.user !== '';
}

export function qualifiedUser(s: Pick<Session, 'user' | 'domain'>): string {
  if (!s.user) return '';
  return s.domain ? `${s.domain}\\${s.user}` : s.user;
}
