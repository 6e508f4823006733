import koffi, { type TypeObject } from 'koffi';

/** wtsapi32's x64 layouts (docs/reference/wts-api.md). Sizes are checked when the worker starts. */
export const WTS_HANDLE = koffi.pointer('WTS_HANDLE', koffi.opaque());

export const WTS_SESSION_INFO_1W = koffi.struct('WTS_SESSION_INFO_1W', {
  ExecEnvId: 'uint32',
  State: 'int32',
  SessionId: 'uint32',
  pSessionName: 'str16',
  pHostName: 'str16',
  pUserName: 'str16',
  pDomainName: 'str16',
  pFarmName: 'str16',
});

export const WTS_SESSION_INFOW = koffi.struct('WTS_SESSION_INFOW', {
  SessionId: 'uint32',
  pWinStationName: 'str16',
  State: 'int32',
});

export const WTSINFOW = koffi.struct('WTSINFOW', {
  State: 'int32',
  SessionId: 'uint32',
  IncomingBytes: 'uint32',
  OutgoingBytes: 'uint32',
  IncomingFrames: 'uint32',
  OutgoingFrames: 'uint32',
  IncomingCompressedBytes: 'uint32',
  OutgoingCompressedBytes: 'uint32',
  WinStationName: koffi.array('char16_t', 32, 'String'),
  Domain: koffi.array('char16_t', 17, 'String'),
  UserName: koffi.array('char16_t', 21, 'String'),
  ConnectTime: 'int64',
  DisconnectTime: 'int64',
  LastInputTime: 'int64',
  LogonTime: 'int64',
  CurrentTime: 'int64',
});

export const WTS_CLIENT_ADDRESS = koffi.struct('WTS_CLIENT_ADDRESS', {
  AddressFamily: 'uint32',
  Address: koffi.array('uint8', 20, 'Array'),
});

export const WTS_PROCESS_INFOW = koffi.struct('WTS_PROCESS_INFOW', {
  SessionId: 'uint32',
  ProcessId: 'uint32',
  pProcessName: 'str16',
  pUserSid: 'void *',
});

export const WTS_PROCESS_INFO_EXW = koffi.struct('WTS_PROCESS_INFO_EXW', {
  SessionId: 'uint32',
  ProcessId: 'uint32',
  pProcessName: 'str16',
  pUserSid: 'void *',
  NumberOfThreads: 'uint32',
  HandleCount: 'uint32',
  PagefileUsage: 'uint32',
  PeakPagefileUsage: 'uint32',
  WorkingSetSize: 'uint32',
  PeakWorkingSetSize: 'uint32',
  UserTime: 'int64',
  KernelTime: 'int64',
});

export const EXPECTED_SIZES: Record<string, [TypeObject, number]> = {
  WTS_SESSION_INFO_1W: [WTS_SESSION_INFO_1W, 56],
  WTS_SESSION_INFOW: [WTS_SESSION_INFOW, 24],
  WTSINFOW: [WTSINFOW, 216],
  WTS_CLIENT_ADDRESS: [WTS_CLIENT_ADDRESS, 24],
  WTS_PROCESS_INFOW: [WTS_PROCESS_INFOW, 24],
  WTS_PROCESS_INFO_EXW: [WTS_PROCESS_INFO_EXW, 64],
};

export interface WtsInfo {
  State: number;
  SessionId: number;
  IncomingBytes: number;
  OutgoingBytes: number;
  IncomingFrames: number;
  OutgoingFrames: number;
  WinStationName: string;
  Domain: string;
  UserName: string;
  ConnectTime: number | bigint;
  DisconnectTime: number | bigint;
  LastInputTime: number | bigint;
  LogonTime: number | bigint;
  CurrentTime: number | bigint;
}

export interface SessionInfo1 {
  State: number;
  SessionId: number;
  pSessionName: string | null;
  pUserName: string | null;
  pDomainName: string | null;
}

export interface SessionInfo {
  SessionId: number;
  pWinStationName: string | null;
  State: number;
}

/** WTS_PROCESS_INFOW, and the fields of WTS_PROCESS_INFO_EXW the bot reads. */
export interface ProcessRow {
  SessionId: number;
  ProcessId: number;
  pProcessName: string | null;
  pUserSid: bigint | null;
  WorkingSetSize?: number;
}

export interface ClientAddress {
  AddressFamily: number;
  Address: number[];
}

/** WTS_INFO_CLASS values used here. */
export const INFO_CLASS = { UserName: 5, DomainName: 7, ClientName: 10, ClientAddress: 14, SessionInfo: 24 } as const;
/** WTS_TYPE_CLASS: what WTSFreeMemoryExW is freeing. */
export const WTS_TYPE = { ProcessInfoLevel0: 0, ProcessInfoLevel1: 1, SessionInfoLevel1: 2 } as const;

const FILETIME_UNIX_EPOCH_MS = 11_644_473_600_000;

/** FILETIME (100 ns ticks since 1601) to a Date; 0 means unknown. */
export function fromFileTime(ft: number | bigint): Date | undefined {
  const ticks = typeof ft === 'bigint' ? ft : BigInt(Math.trunc(ft));
  if (ticks <= 0n) return undefined;
  return new Date(Number(ticks / 10_000n) - FILETIME_UNIX_EPOCH_MS);
}

/** IPv4 sits in Address[2..5]; IPv6 in Address[2..17]. */
export function formatClientAddress(a: ClientAddress): string | undefined {
  const b = a.Address;
  if (a.AddressFamily === 2) {
    const v4 = b.slice(2, 6);
    return v4.every((x) => x === 0) ? undefined : v4.join('.');
  }
  if (a.AddressFamily === 23) {
    const groups: string[] = [];
    for (let i = 2; i < 18; i += 2) groups.push((((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)).toString(16));
    return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  }
  return undefined;
}
