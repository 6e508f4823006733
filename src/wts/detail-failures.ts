import { WIN32, isServerGone } from './errors.js';

/**
 * What a failure reading one session's detail (its times, its client) means for a listing:
 * - 'server-gone': the server or the connection to it is gone (the table's serverGone codes: 6, 1460,
 *   1722, 1723, 1726, 1727): the listing fails, as the next call would too;
 * - 'session-ended': 7022, the session ended between the enumeration and the query: it is listed as
 *   enumerated, without details;
 * - 'blank': anything else (50 on an old host, 5 or 7045 on one protected session, 87...): the server
 *   will not give that detail for that session, so those columns stay empty and the listing goes on.
 */
export type DetailFailure = 'server-gone' | 'session-ended' | 'blank';

export function detailFailure(code: number): DetailFailure {
  if (code === WIN32.CTX_WINSTATION_NOT_FOUND) return 'session-ended';
  return isServerGone(code) ? 'server-gone' : 'blank';
}
