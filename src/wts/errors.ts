/**
 * The one table of the Win32 error codes the bot knows by name: every constant, sentence and short
 * label below comes from it, and nothing else in src/ or adapters/ spells a code as a bare number
 * (test/wts/win32-literals.test.ts fails on one). 1460 (ERROR_TIMEOUT) is also what the bot reports
 * when a call to a server did not return in time, and 126 (ERROR_MOD_NOT_FOUND) when a DLL will not load.
 */

export type BackendOperation = 'list' | 'query' | 'logoff' | 'disconnect' | 'message' | 'open' | 'processes';

export interface Win32ErrorEntry {
  code: number;
  /** The key in WIN32: Windows' own name without ERROR_ (RPC_S_ shortened to RPC_). */
  constant: string;
  /** Windows' symbolic name, as `net helpmsg` and the SDK headers know it. */
  name: string;
  /** What to tell the operator, after the label. */
  sentence: string;
  /** The label before the code: `timed out (error 1460)`. */
  short: string;
  /** Sentences for one operation, where the general one would mislead (error 5 on a process listing). */
  byOperation?: Partial<Record<BackendOperation, string>>;
  /**
   * The server itself (or the connection to it) is gone: a listing that meets this on one session's
   * detail fails as a whole, instead of blanking that session's columns and carrying on.
   */
  serverGone?: true;
}

const TABLE = [
  {
    code: 1,
    constant: 'INVALID_FUNCTION',
    name: 'ERROR_INVALID_FUNCTION',
    short: 'not available',
    sentence: "that call is not available on this server's Windows version",
  },
  {
    code: 5,
    constant: 'ACCESS_DENIED',
    name: 'ERROR_ACCESS_DENIED',
    short: 'access denied',
    sentence: "the bot's Windows account lacks Remote Desktop rights (Query Information, Reset, Disconnect, Message) there, or is not a local administrator",
    byOperation: {
      processes: "the bot's Windows account must be a local administrator on that server to see other users' programs",
    },
  },
  {
    code: 6,
    constant: 'INVALID_HANDLE',
    name: 'ERROR_INVALID_HANDLE',
    short: 'invalid handle',
    sentence: 'internal error: the server handle was already closed; try again',
    serverGone: true,
  },
  { code: 50, constant: 'NOT_SUPPORTED', name: 'ERROR_NOT_SUPPORTED', short: 'not supported', sentence: 'that information is not available on this server' },
  { code: 87, constant: 'INVALID_PARAMETER', name: 'ERROR_INVALID_PARAMETER', short: 'invalid parameter', sentence: 'the server rejected the request as malformed' },
  {
    code: 120,
    constant: 'CALL_NOT_IMPLEMENTED',
    name: 'ERROR_CALL_NOT_IMPLEMENTED',
    short: 'not implemented',
    sentence: "that call is not implemented on this server's Windows version",
  },
  {
    code: 122,
    constant: 'INSUFFICIENT_BUFFER',
    name: 'ERROR_INSUFFICIENT_BUFFER',
    short: 'buffer too small',
    sentence: 'internal error: an answer did not fit the buffer the bot sized for it; report it',
  },
  {
    code: 126,
    constant: 'MOD_NOT_FOUND',
    name: 'ERROR_MOD_NOT_FOUND',
    short: 'cannot load a DLL',
    sentence: 'wtsapi32.dll or advapi32.dll could not be loaded: the bot is not running on Windows, or RWINSTA_WTS_LIBRARY names a missing file',
  },
  {
    code: 1332,
    constant: 'NONE_MAPPED',
    name: 'ERROR_NONE_MAPPED',
    short: 'no account name',
    sentence: 'the account behind that SID has no name the server can find (a deleted account, or a domain it cannot reach)',
  },
  {
    code: 1460,
    constant: 'TIMEOUT',
    name: 'ERROR_TIMEOUT',
    short: 'timed out',
    sentence: 'the server did not answer in time: it may be hung or overloaded; try again, or check it from the console',
    serverGone: true,
  },
  {
    code: 1722,
    constant: 'RPC_SERVER_UNAVAILABLE',
    name: 'RPC_S_SERVER_UNAVAILABLE',
    short: 'unreachable',
    sentence: 'is it up, and is RPC open in its firewall?',
    serverGone: true,
  },
  {
    code: 1723,
    constant: 'RPC_SERVER_TOO_BUSY',
    name: 'RPC_S_SERVER_TOO_BUSY',
    short: 'too busy',
    sentence: 'the server is too busy to answer RPC calls; retry in a minute',
    serverGone: true,
  },
  { code: 1726, constant: 'RPC_CALL_FAILED', name: 'RPC_S_CALL_FAILED', short: 'call failed', sentence: 'the call failed on the server; try again', serverGone: true },
  {
    code: 1727,
    constant: 'RPC_CALL_FAILED_DNE',
    name: 'RPC_S_CALL_FAILED_DNE',
    short: 'call not made',
    sentence: 'the connection to the server broke before the call ran; try again',
    serverGone: true,
  },
  {
    code: 1745,
    constant: 'RPC_PROCNUM_OUT_OF_RANGE',
    name: 'RPC_S_PROCNUM_OUT_OF_RANGE',
    short: 'call not available',
    sentence: "the server's Windows is older than that call",
  },
  {
    code: 7007,
    constant: 'CTX_CLOSE_PENDING',
    name: 'ERROR_CTX_CLOSE_PENDING',
    short: 'session closing',
    sentence: 'the session is already closing (state Down); check again in a minute',
  },
  {
    code: 7022,
    constant: 'CTX_WINSTATION_NOT_FOUND',
    name: 'ERROR_CTX_WINSTATION_NOT_FOUND',
    short: 'session not found',
    sentence: 'no such session: it has already ended, or the ID is stale; list the sessions again',
  },
  { code: 7024, constant: 'CTX_WINSTATION_BUSY', name: 'ERROR_CTX_WINSTATION_BUSY', short: 'busy', sentence: 'Remote Desktop Services is busy; retry in a minute' },
  {
    code: 7041,
    constant: 'CTX_CONSOLE_DISCONNECT',
    name: 'ERROR_CTX_CONSOLE_DISCONNECT',
    short: 'console cannot be disconnected',
    sentence: 'the console session cannot be disconnected',
  },
  {
    code: 7045,
    constant: 'CTX_WINSTATION_ACCESS_DENIED',
    name: 'ERROR_CTX_WINSTATION_ACCESS_DENIED',
    short: 'session access denied',
    sentence: 'access to this session is denied',
  },
] as const satisfies readonly Win32ErrorEntry[];

type Table = typeof TABLE;
type Constant = Table[number]['constant'];

/** Every entry, in code order. */
export const WIN32_ERRORS: readonly Win32ErrorEntry[] = TABLE;

/** The codes by name: `WIN32.CTX_WINSTATION_NOT_FOUND` is 7022. */
export const WIN32 = Object.freeze(Object.fromEntries(TABLE.map((e) => [e.constant, e.code]))) as {
  readonly [K in Constant]: Extract<Table[number], { constant: K }>['code'];
};

const BY_CODE = new Map<number, Win32ErrorEntry>(TABLE.map((e) => [e.code, e]));

export function win32Entry(code: number): Win32ErrorEntry | undefined {
  return BY_CODE.get(code);
}

/** `timed out (error 1460)`, `unreachable (RPC 1722)`; `error 8` for a code the table does not know. */
export function win32Label(code: number): string {
  const e = BY_CODE.get(code);
  if (!e) return `error ${code}`;
  return `${e.short} (${e.name.startsWith('RPC_S_') ? 'RPC' : 'error'} ${code})`;
}

/** Whether `code` means the server (or the connection to it) is gone, not one session's detail. */
export function isServerGone(code: number): boolean {
  return BY_CODE.get(code)?.serverGone === true;
}

/** `rds07: unreachable (RPC 1722): is it up, and is RPC open in its firewall?` */
export function describeWin32Error(code: number, server: string, operation?: BackendOperation): string {
  const e = BY_CODE.get(code);
  if (!e) return `${server}: Windows error ${code}; look it up with \`net helpmsg ${code}\` on the bot's host`;
  const sentence = (operation && e.byOperation?.[operation]) ?? e.sentence;
  return `${server}: ${win32Label(code)}: ${sentence}`;
}

export class WtsError extends Error {
  override readonly name = 'WtsError';
  constructor(
    readonly code: number,
    readonly server: string,
    readonly operation: BackendOperation,
    detail?: string,
  ) {
    super(detail ?? describeWin32Error(code, server, operation));
  }
}

export function isWtsError(e: unknown): e is WtsError {
  return e instanceof WtsError;
}
