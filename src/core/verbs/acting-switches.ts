import type { Collected } from '../grammar/collect.js';
import type { Switches } from '../grammar/command.js';
import { Usage } from '../grammar/positions.js';
import { MAX_REASON_LENGTH, SWITCHES } from './switches.js';

/** The switches every acting verb reads the same way: /v, /f and /reason. */
export function actingSwitches(c: Collected): Switches {
  const s: Switches = { verbose: c.switches.has('v'), force: c.switches.has('f') };
  const raw = c.switches.get('reason');
  if (raw === undefined) return s;
  const reason = raw.trim().replace(/\s+/g, ' ');
  if (reason === '') throw new Usage(`/reason needs some text, e.g. /reason:${SWITCHES.reason.value?.example ?? ''}`);
  if (reason.length > MAX_REASON_LENGTH) throw new Usage(`the reason is ${reason.length} characters; the limit is ${MAX_REASON_LENGTH}`);
  s.reason = reason;
  return s;
}
