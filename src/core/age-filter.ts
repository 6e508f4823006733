import type { Session } from '../wts/session.js';
import { formatDuration } from './render/format.js';

/** A span as typed (`8h`, `90m`, `2d`, lower-cased) and in milliseconds. */
export interface Duration {
  text: string;
  ms: number;
}

/**
 * `/idle:` and `/logon:`: only sessions idle, or logged on, at least this long. Idle is Windows'
 * own (Session.idleMs): since the last input, or for a disconnected session since the disconnection.
 */
export interface AgeFilter {
  idle?: Duration;
  logon?: Duration;
}

/** `/idle:8h /logon:2d`, as typed. */
export function ageSwitches(f: AgeFilter): string {
  return [f.idle ? `/idle:${f.idle.text}` : '', f.logon ? `/logon:${f.logon.text}` : ''].filter(Boolean).join(' ');
}

/** `idle 8h or more`, `idle 8h or more and logged on 2d or more` */
export function ageText(f: AgeFilter): string {
  const parts: string[] = [];
  if (f.idle) parts.push(`idle ${f.idle.text} or more`);
  if (f.logon) parts.push(`logged on ${f.logon.text} or more`);
  return parts.join(' and ');
}

/**
 * What keeps a session out of the filter at `at` (the bot's clock): `idle 12 min`, `idle time
 * unknown`; undefined when it passes. A session whose times are unknown never passes (fail closed).
 */
export function ageMiss(s: Session, f: AgeFilter, at: number): string | undefined {
  if (f.idle) {
    if (s.idleMs === undefined) return 'idle time unknown';
    if (s.idleMs < f.idle.ms) return `idle ${formatDuration(s.idleMs)}`;
  }
  if (f.logon) {
    if (!s.logonTime) return 'logon time unknown';
    const on = at - s.logonTime.getTime();
    if (on < f.logon.ms) return `logged on ${formatDuration(Math.max(0, on))}`;
  }
  return undefined;
}

export function meetsAge(s: Session, f: AgeFilter, at: number): boolean {
  return ageMiss(s, f, at) === undefined;
}
