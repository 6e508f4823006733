import koffi, { type TypeObject } from 'koffi';
import { WIN32, type BackendOperation } from '../errors.js';

export type Ptr = bigint | null;

/** A failed wtsapi32 call: the Win32 code, read with GetLastError on the thread that failed. */
export class NativeFailure {
  constructor(
    readonly code: number,
    readonly op: BackendOperation,
  ) {}
}

/** An Ex call failing with these means "not here": the server predates it, so the older call is used. */
export const EX_NOT_AVAILABLE: ReadonlySet<number> = new Set([
  WIN32.INVALID_FUNCTION,
  WIN32.NOT_SUPPORTED,
  WIN32.INVALID_PARAMETER,
  WIN32.CALL_NOT_IMPLEMENTED,
  WIN32.RPC_PROCNUM_OUT_OF_RANGE,
]);

/**
 * Decodes `count` structs one by one at their offsets: koffi.array() would create (and keep) a new
 * type for every distinct count, which grows memory over a long-running bot's life.
 */
export function decodeRows<T>(p: Ptr, count: number, type: TypeObject): T[] {
  if (!p || count === 0) return [];
  const rows: T[] = [];
  for (let i = 0; i < count; i++) rows.push(koffi.decode(p, i * type.size, type) as T);
  return rows;
}
