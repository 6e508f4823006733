import koffi from 'koffi';
import { WIN32 } from '../errors.js';
import { WTS_ANY_SESSION } from '../process.js';
import { MAX_SUB_AUTHORITIES, sidLength, sidToString } from '../sid.js';
import { decodeRows, EX_NOT_AVAILABLE, NativeFailure, type Ptr } from './native.js';
import type { WtsApi } from './library.js';
import { WTS_PROCESS_INFO_EXW, WTS_PROCESS_INFOW, WTS_TYPE, type ProcessRow } from './structs.js';

/** A process as enumerated, before its SID is turned into a name. */
export interface RawProcess {
  sessionId: number;
  pid: number;
  image: string;
  /** The SID's bytes, copied out of wtsapi32's buffer before it is freed. */
  sid?: Uint8Array;
  workingSetBytes?: number;
}

/** Copies a SID out of native memory, one field at a time (a koffi array type per length would be kept for ever). */
function copySid(p: bigint): Uint8Array | undefined {
  const count = koffi.decode(p, 1, 'uint8') as number;
  if ((koffi.decode(p, 0, 'uint8') as number) !== 1 || count > MAX_SUB_AUTHORITIES) return undefined;
  const bytes = new Uint8Array(sidLength(count));
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 8; i++) bytes[i] = koffi.decode(p, i, 'uint8') as number;
  for (let i = 0; i < count; i++) view.setUint32(8 + 4 * i, koffi.decode(p, 8 + 4 * i, 'uint32') as number, true);
  return bytes;
}

function toRaw(r: ProcessRow, withWorkingSet: boolean): RawProcess {
  const p: RawProcess = { sessionId: r.SessionId, pid: r.ProcessId, image: r.pProcessName ?? '' };
  const sid = r.pUserSid ? copySid(r.pUserSid) : undefined;
  if (sid) p.sid = sid;
  if (withWorkingSet && r.WorkingSetSize !== undefined) p.workingSetBytes = r.WorkingSetSize;
  return p;
}

/**
 * WTSEnumerateProcessesExW at level 1, filtered by session on the server; undefined when the server
 * (or this wtsapi32) does not have it. The server may answer at another level than asked: the
 * buffer is decoded and freed as the level it says.
 */
function enumerateEx(api: WtsApi, h: Ptr, session: number): RawProcess[] | undefined {
  const enumEx = api.WTSEnumerateProcessesExW;
  const freeEx = api.WTSFreeMemoryExW;
  if (!enumEx || !freeEx) return undefined;
  const level: [number] = [1];
  const out: [Ptr] = [null];
  const count: [number] = [0];
  if (!enumEx(h, level, session, out, count)) {
    const code = api.GetLastError();
    if (EX_NOT_AVAILABLE.has(code)) return undefined;
    throw new NativeFailure(code || WIN32.INVALID_FUNCTION, 'processes');
  }
  const level1 = level[0] === 1;
  try {
    return decodeRows<ProcessRow>(out[0], count[0], level1 ? WTS_PROCESS_INFO_EXW : WTS_PROCESS_INFOW).map((r) => toRaw(r, level1));
  } finally {
    freeEx(level1 ? WTS_TYPE.ProcessInfoLevel1 : WTS_TYPE.ProcessInfoLevel0, out[0], count[0]);
  }
}

/** WTSEnumerateProcessesW: every process on the server, without working sets; filtered here. */
function enumerateClassic(api: WtsApi, h: Ptr, session: number): RawProcess[] {
  const out: [Ptr] = [null];
  const count: [number] = [0];
  if (!api.WTSEnumerateProcessesW(h, 0, 1, out, count)) throw new NativeFailure(api.GetLastError() || WIN32.INVALID_FUNCTION, 'processes');
  try {
    // The SIDs live in the buffer: copy them out before it is freed.
    const rows = decodeRows<ProcessRow>(out[0], count[0], WTS_PROCESS_INFOW);
    return rows.filter((r) => session === WTS_ANY_SESSION || r.SessionId === session).map((r) => toRaw(r, false));
  } finally {
    api.WTSFreeMemory(out[0]);
  }
}

export function enumerateProcesses(api: WtsApi, h: Ptr, session = WTS_ANY_SESSION): RawProcess[] {
  return enumerateEx(api, h, session) ?? enumerateClassic(api, h, session);
}
