import type { SessionState } from '../../wts/session.js';

/** quser's idle column: `.` under a minute, then `M`, `H:MM`, `D+HH:MM`. */
export function formatIdle(ms: number | undefined): string {
  if (ms === undefined) return '';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return '.';
  if (minutes < 60) return String(minutes);
  const hours = Math.floor(minutes / 60);
  const mm = String(minutes % 60).padStart(2, '0');
  if (hours < 24) return `${hours}:${mm}`;
  return `${Math.floor(hours / 24)}+${String(hours % 24).padStart(2, '0')}:${mm}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
// Intl formatting costs microseconds and logon times repeat from one listing to the next.
const formatted = new Map<string, string>();

/** `2026-11-25 08:14` in the configured time zone (the host's when unset). */
export function formatTime(date: Date | undefined, timeZone?: string): string {
  if (!date || Number.isNaN(date.getTime())) return '';
  const key = timeZone ?? '';
  const memoKey = `${key}|${Math.floor(date.getTime() / 60_000)}`;
  const memo = formatted.get(memoKey);
  if (memo !== undefined) return memo;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    formatters.set(key, f);
  }
  const text = f.format(date);
  if (formatted.size >= 50_000) formatted.clear();
  formatted.set(memoKey, text);
  return text;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** `10:42` in the configured time zone (the host's when unset). */
export function formatClock(date: Date, timeZone?: string): string {
  const key = timeZone ?? '';
  let f = clocks.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
    clocks.set(key, f);
  }
  return f.format(date);
}

const secondClocks = new Map<string, Intl.DateTimeFormat>();

/** `09:12:44` in the configured time zone (the host's when unset): when someone took part in an action. */
export function formatClockSeconds(ms: number, timeZone?: string): string {
  const key = timeZone ?? '';
  let f = secondClocks.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    secondClocks.set(key, f);
  }
  return f.format(new Date(ms));
}

let hostZone: string | undefined;

/** The zone times are shown in: the configured one, else the host's. */
export function timeZoneLabel(timeZone?: string): string {
  if (timeZone) return timeZone;
  hostZone ??= new Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  return hostZone;
}

const SHORT_STATE: Record<SessionState, string> = {
  Active: 'Active',
  Connected: 'Conn',
  ConnectQuery: 'ConnQ',
  Shadow: 'Shadow',
  Disconnected: 'Disc',
  Idle: 'Idle',
  Listen: 'Listen',
  Reset: 'Reset',
  Down: 'Down',
  Init: 'Init',
};

export function shortState(s: SessionState): string {
  return SHORT_STATE[s];
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A span people read: `45 s`, `2 min`, `1 h 30 min`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}
