import type { IncomingMessage } from 'node:http';

/** How far a signed request's timestamp may be from now, either way: Slack's five minutes. */
export const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Why a request's timestamp is in the future beyond Slack's window, or undefined. Bolt verifies the
 * signature and refuses stale timestamps; one signed for the future (a clock far off, or a request
 * prepared to be replayed later) would pass it, so it is refused here, before Bolt reads the body.
 */
export function futureTimestampProblem(req: IncomingMessage, nowMs: number): string | undefined {
  const raw = req.headers['x-slack-request-timestamp'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const ahead = Number(value) - Math.floor(nowMs / 1000);
  return ahead > MAX_SKEW_SECONDS ? `its timestamp is ${ahead} s in the future (more than ${MAX_SKEW_SECONDS} s)` : undefined;
}
