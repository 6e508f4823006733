import koffi, { type TypeObject } from 'koffi';

type TypeSpec = string | TypeObject | ReturnType<typeof koffi.out>;
import { EXPECTED_SIZES, WTS_HANDLE } from './structs.js';

type Ptr = bigint | null;

/** The wtsapi32 functions the binding calls, declared __stdcall with BOOL as a 32-bit int. */
export interface WtsApi {
  WTSOpenServerW(name: string): Ptr;
  WTSCloseServer(h: Ptr): void;
  WTSEnumerateSessionsExW?: (h: Ptr, level: [number], filter: number, out: [Ptr], count: [number]) => number;
  WTSEnumerateSessionsW(h: Ptr, reserved: number, version: number, out: [Ptr], count: [number]): number;
  WTSQuerySessionInformationW(h: Ptr, id: number, cls: number, out: [Ptr], bytes: [number]): number;
  WTSLogoffSession(h: Ptr, id: number, wait: number): number;
  WTSDisconnectSession(h: Ptr, id: number, wait: number): number;
  WTSSendMessageW(h: Ptr, id: number, title: string, titleBytes: number, text: string, textBytes: number, style: number, timeout: number, response: [number], wait: number): number;
  WTSFreeMemory(p: Ptr): void;
  WTSFreeMemoryExW?: (type: number, p: Ptr, count: number) => number;
  WTSEnumerateProcessesW(h: Ptr, reserved: number, version: number, out: [Ptr], count: [number]): number;
  WTSEnumerateProcessesExW?: (h: Ptr, level: [number], session: number, out: [Ptr], count: [number]) => number;
  /** advapi32's; absent only from a test library that does not export it (then no user names, SIDs only). */
  LookupAccountSidW?: (system: string | null, sid: Buffer, name: Buffer | null, nameChars: [number], domain: Buffer | null, domainChars: [number], use: [number]) => number;
  GetLastError(): number;
}

function optional<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

/**
 * Loads wtsapi32.dll, kernel32.dll and advapi32.dll by plain name (Windows searches System32), or one
 * library that implements the same exports, GetLastError and LookupAccountSidW included
 * (`RWINSTA_WTS_LIBRARY`, used by tests; on Windows the other two still come from the system).
 */
export function loadWtsApi(libraryPath?: string): WtsApi {
  for (const [name, [type, size]] of Object.entries(EXPECTED_SIZES)) {
    if (koffi.sizeof(type) !== size) throw new Error(`${name} is ${koffi.sizeof(type)} bytes here, ${size} on Windows x64`);
  }
  const lib = koffi.load(libraryPath ?? 'wtsapi32.dll');
  const oneLibrary = libraryPath !== undefined && process.platform !== 'win32';
  const errLib = oneLibrary ? lib : koffi.load('kernel32.dll');
  const advapi = oneLibrary ? lib : koffi.load('advapi32.dll');
  const out = (t: string) => koffi.out(koffi.pointer(t));
  const f = (name: string, ret: TypeSpec, args: TypeSpec[]) => lib.func('__stdcall', name, ret, args);
  const api: WtsApi = {
    WTSOpenServerW: f('WTSOpenServerW', WTS_HANDLE, ['str16']),
    WTSCloseServer: f('WTSCloseServer', 'void', [WTS_HANDLE]),
    WTSEnumerateSessionsW: f('WTSEnumerateSessionsW', 'int32', [WTS_HANDLE, 'uint32', 'uint32', out('void *'), out('uint32')]),
    WTSQuerySessionInformationW: f('WTSQuerySessionInformationW', 'int32', [WTS_HANDLE, 'uint32', 'int32', out('void *'), out('uint32')]),
    WTSLogoffSession: f('WTSLogoffSession', 'int32', [WTS_HANDLE, 'uint32', 'int32']),
    WTSDisconnectSession: f('WTSDisconnectSession', 'int32', [WTS_HANDLE, 'uint32', 'int32']),
    WTSSendMessageW: f('WTSSendMessageW', 'int32', [WTS_HANDLE, 'uint32', 'str16', 'uint32', 'str16', 'uint32', 'uint32', 'uint32', out('uint32'), 'int32']),
    WTSFreeMemory: f('WTSFreeMemory', 'void', ['void *']),
    WTSEnumerateProcessesW: f('WTSEnumerateProcessesW', 'int32', [WTS_HANDLE, 'uint32', 'uint32', out('void *'), out('uint32')]),
    GetLastError: errLib.func('__stdcall', 'GetLastError', 'uint32', []),
  };
  // Both exist since Windows 7 / Server 2008 R2; without them the binding enumerates the old way.
  const ex = optional(() => f('WTSEnumerateSessionsExW', 'int32', [WTS_HANDLE, koffi.inout(koffi.pointer('uint32')), 'uint32', out('void *'), out('uint32')]));
  const freeEx = optional(() => f('WTSFreeMemoryExW', 'int32', ['int32', 'void *', 'uint32']));
  const processesEx = optional(() => f('WTSEnumerateProcessesExW', 'int32', [WTS_HANDLE, koffi.inout(koffi.pointer('uint32')), 'uint32', out('void *'), out('uint32')]));
  if (freeEx) api.WTSFreeMemoryExW = freeEx;
  if (ex && freeEx) api.WTSEnumerateSessionsExW = ex;
  if (processesEx && freeEx) api.WTSEnumerateProcessesExW = processesEx;
  const inout = (t: string) => koffi.inout(koffi.pointer(t));
  const lookup = optional(() =>
    advapi.func('__stdcall', 'LookupAccountSidW', 'int32', ['str16', 'void *', 'void *', inout('uint32'), 'void *', inout('uint32'), out('int32')]),
  );
  if (lookup) api.LookupAccountSidW = lookup;
  return api;
}
