import type { AgeFilter, Duration } from '../age-filter.js';
import type { SwitchName } from '../verbs/switches.js';
import { Usage } from './positions.js';
import { shown } from './words.js';

const MINUTE = 60_000;
export const MAX_DURATION_DAYS = 3650;
// Days, hours and minutes, each at most once and in that order: 90m, 8h, 2d, 1d12h, 1h30m.
const DURATION = /^(?:(\d{1,5})d)?(?:(\d{1,6})h)?(?:(\d{1,7})m)?$/i;

/** `/idle:8h` → 8 hours; anything else is a usage error that says the format. */
export function parseDuration(name: 'idle' | 'logon', raw: string): Duration {
  const m = DURATION.exec(raw);
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) {
    throw new Usage(`${shown(`/${name}:${raw}`)} is not a duration; write minutes, hours or days: /${name}:90m, /${name}:8h or /${name}:2d`);
  }
  const minutes = Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  if (minutes < 1) throw new Usage(`/${name}:${raw} is no time at all; give at least one minute, e.g. /${name}:90m`);
  if (minutes > MAX_DURATION_DAYS * 1440) throw new Usage(`/${name}:${raw} is more than ${MAX_DURATION_DAYS} days`);
  return { text: raw.toLowerCase(), ms: minutes * MINUTE };
}

/** The `/idle:` and `/logon:` of a command line, or undefined when it has neither. */
export function ageFilterOf(switches: ReadonlyMap<SwitchName, string>): AgeFilter | undefined {
  const idle = switches.get('idle');
  const logon = switches.get('logon');
  if (idle === undefined && logon === undefined) return undefined;
  const f: AgeFilter = {};
  if (idle !== undefined) f.idle = parseDuration('idle', idle);
  if (logon !== undefined) f.logon = parseDuration('logon', logon);
  return f;
}
