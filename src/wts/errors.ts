/**
 * Win32 error codes an operator must be told in words, and the error type every backend throws.
 * 1460 (ERROR_TIMEOUT) is what the bot reports when a call to a server did not return in time.
 */
export const WIN32 = {
  ACCESS_DENIED: 5,
  INVALID_HANDLE: 6,
  NOT_SUPPORTED: 50,
  INVALID_PARAMETER: 87,
  TIMEOUT: 1460,
  RPC_SERVER_UNAVAILABLE: 1722,
  RPC_CALL_FAILED: 1726,
  CTX_CLOSE_PENDING: 7007,
  CTX_WINSTATION_NOT_FOUND: 7022,
  CTX_WINSTATION_BUSY: 7024,
  CTX_CONSOLE_DISCONNECT: 7041,
  CTX_WINSTATION_ACCESS_DENIED: 7045,
} as const;

const SENTENCES: Record<number, { name: string; text: string }> = {
  5: {
    name: 'access denied',
    text: "the bot's Windows account lacks Remote Desktop rights (Query Information, Reset, Disconnect, Message) there, or is not a local administrator",
  },
  6: { name: 'invalid handle', text: 'internal error: the server handle was already closed; try again' },
  50: { name: 'not supported', text: 'that information is not available on this server' },
  87: { name: 'invalid parameter', text: 'the server rejected the request as malformed' },
  1460: {
    name: 'timeout',
    text: 'the server did not answer in time: it may be hung or overloaded; try again, or check it from the console',
  },
  1722: { name: 'RPC 1722', text: 'is it up, and is RPC open in its firewall?' },
  1726: { name: 'RPC 1726', text: 'the call failed on the server; try again' },
  7007: { name: '7007', text: 'the session is already closing (state Down); check again in a minute' },
  7022: { name: '7022', text: 'no such session: it has already ended, or the ID is stale; list the sessions again' },
  7024: { name: '7024', text: 'Remote Desktop Services is busy; retry in a minute' },
  7041: { name: '7041', text: 'the console session cannot be disconnected' },
  7045: { name: '7045', text: 'access to this session is denied' },
};

const SHORT: Record<number, string> = {
  5: 'access denied',
  1460: 'timed out',
  1722: 'unreachable',
  1726: 'call failed',
  7007: 'session closing',
  7022: 'session not found',
  7024: 'busy',
  7041: 'console cannot be disconnected',
  7045: 'session access denied',
};

/** `rds07: unreachable (RPC 1722): is it up, and is RPC open in its firewall?` */
export function describeWin32Error(code: number, server: string): string {
  const known = SENTENCES[code];
  const short = SHORT[code];
  if (!known) return `${server}: Windows error ${code}; look it up with \`net helpmsg ${code}\` on the bot's host`;
  const label = `${short ?? known.name} (${code === 1722 || code === 1726 ? 'RPC' : 'error'} ${code})`;
  return `${server}: ${label}: ${known.text}`;
}

export type BackendOperation = 'list' | 'query' | 'logoff' | 'disconnect' | 'message' | 'open';

export class WtsError extends Error {
  override readonly name = 'WtsError';
  constructor(
    readonly code: number,
    readonly server: string,
    readonly operation: BackendOperation,
    detail?: string,
  ) {
    super(detail ?? describeWin32Error(code, server));
  }
}

export function isWtsError(e: unknown): e is WtsError {
  return e instanceof WtsError;
}
