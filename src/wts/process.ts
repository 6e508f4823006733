/** WTSEnumerateProcessesExW's session filter for every session on the server. */
export const WTS_ANY_SESSION = 0xfffffffe;

/** One program running on a server, in a session. Key: (server, pid); PIDs are reused once a process exits. */
export interface ProcessInfo {
  server: string;
  sessionId: number;
  pid: number;
  /** The image name: `explorer.exe`, `WINWORD.EXE`. */
  image: string;
  /** The account it runs as; empty when the server gave no SID, or the SID maps to no name. */
  user: string;
  domain: string;
  /** The account's SID (`S-1-5-21-…`), kept when its name cannot be found; absent when the server gave none. */
  sid?: string;
  /** Bytes in memory (absent from servers that only answer the older call). */
  workingSetBytes?: number;
}

/** Whether `id` can name one session (a DWORD below the WTS_ANY_SESSION and WTS_CURRENT_SESSION markers). */
export function isSessionId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < WTS_ANY_SESSION;
}
