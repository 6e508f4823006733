import type { ProcessInfo } from '../process.js';
import type { SessionState } from '../session.js';

/** A process of the simulated fleet; `user` empty with a `sid` is an account whose name is gone. */
export type SimProcess = Omit<ProcessInfo, 'server' | 'sessionId'>;

/** What a test may script: the PID is assigned when left out, the account is blank when left out. */
export type SimProcessSpec = Partial<SimProcess> & { image: string };

interface Account {
  user: string;
  domain: string;
  sid?: string;
}

const MB = 1024 * 1024;
const DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330';
const SYSTEM: Account = { user: 'SYSTEM', domain: 'NT AUTHORITY', sid: 'S-1-5-18' };
const LOCAL_SERVICE: Account = { user: 'LOCAL SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-19' };
const NETWORK_SERVICE: Account = { user: 'NETWORK SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-20' };
/** A scheduled task left running as an account since deleted: its SID maps to no name (1332). */
const DELETED: Account = { user: '', domain: '', sid: `${DOMAIN_SID}-4711` };
const dwm = (session: number): Account => ({ user: `DWM-${session}`, domain: 'Window Manager', sid: `S-1-5-90-0-${session}` });
const umfd = (session: number): Account => ({ user: `UMFD-${session}`, domain: 'Font Driver Host', sid: `S-1-5-96-0-${session}` });

/** FNV-1a: the same name always gives the same programs, PIDs and sizes. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32: a small seeded generator, so a server's fleet is the same on every start. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function userAccount(user: string, domain: string): Account {
  return { user, domain, sid: `${DOMAIN_SID}-${1100 + (hashText(`${domain}\\${user}`.toLowerCase()) % 60000)}` };
}

/** Images with their typical working set in MB (the generator spreads each by -30 %…+50 %). */
type Program = [image: string, mb: number, count?: number];

const SESSION_ZERO: Program[] = [
  ['Registry', 60],
  ['smss.exe', 1],
  ['csrss.exe', 5],
  ['wininit.exe', 6],
  ['services.exe', 10],
  ['lsass.exe', 22],
  ['svchost.exe', 18],
  ['fontdrvhost.exe', 3],
  ['spoolsv.exe', 14],
  ['MsMpEng.exe', 210],
];

const SHELL: Program[] = [
  ['sihost.exe', 24],
  ['svchost.exe', 20],
  ['taskhostw.exe', 14],
  ['ctfmon.exe', 16],
  ['explorer.exe', 95],
  ['ShellExperienceHost.exe', 60],
  ['StartMenuExperienceHost.exe', 55],
  ['SearchApp.exe', 110],
  ['RuntimeBroker.exe', 18, 2],
  ['TextInputHost.exe', 40],
];

/** Work programs, each taken or not per user; chrome.exe, msedge.exe and Teams.exe run as many processes. */
const WORK: Program[] = [
  ['OUTLOOK.EXE', 230],
  ['Teams.exe', 150, 4],
  ['WINWORD.EXE', 140],
  ['EXCEL.EXE', 120],
  ['chrome.exe', 80, 14],
  ['msedge.exe', 70, 6],
  ['POWERPNT.EXE', 130],
  ['notepad.exe', 12],
  ['AcroRd32.exe', 90, 2],
  ['mstsc.exe', 45],
  ['Code.exe', 120, 5],
];

/**
 * The processes of one session, as a Windows Server 2019–2022 session host shows them: session 0's
 * services; for a user session csrss/winlogon as SYSTEM, dwm.exe as DWM-n, fontdrvhost.exe as
 * UMFD-n, the shell, and work programs that vary per user. PIDs come from the server's counter,
 * multiples of 4 as on Windows.
 */
export function generateProcesses(o: {
  server: string;
  id: number;
  user: string;
  domain: string;
  state: SessionState;
  nextPid: () => number;
}): SimProcess[] {
  const rng = seededRandom(hashText(`${o.server}|${o.id}|${o.user}`.toLowerCase()));
  const out: SimProcess[] = [];
  const add = (image: string, mb: number, who: Account): void => {
    const p: SimProcess = { pid: o.nextPid(), image, user: who.user, domain: who.domain, workingSetBytes: Math.round(mb * (0.7 + rng() * 0.8) * MB) };
    if (who.sid) p.sid = who.sid;
    out.push(p);
  };
  if (o.state === 'Listen') return out;
  if (o.id === 0) {
    // The idle process has no token, so no SID; System is always PID 4.
    out.push({ pid: 0, image: 'System Idle Process', user: '', domain: '', workingSetBytes: 8192 });
    out.push({ pid: 4, image: 'System', user: SYSTEM.user, domain: SYSTEM.domain, sid: SYSTEM.sid as string, workingSetBytes: 150 * 1024 });
    for (const [image, mb] of SESSION_ZERO) {
      if (image !== 'svchost.exe') add(image, mb, image === 'fontdrvhost.exe' ? umfd(0) : SYSTEM);
      else for (let i = 0, n = 14 + Math.floor(rng() * 8); i < n; i++) add(image, mb * (0.5 + rng()), [SYSTEM, LOCAL_SERVICE, NETWORK_SERVICE][i % 3] ?? SYSTEM);
    }
    if (hashText(o.server) % 4 === 0) add('UpdateAgent.exe', 30, DELETED);
    return out;
  }
  add('csrss.exe', 5, SYSTEM);
  add('winlogon.exe', 9, SYSTEM);
  if (o.state === 'Down') return out;
  add('fontdrvhost.exe', 4, umfd(o.id));
  add('dwm.exe', 60, dwm(o.id));
  if (!o.user) {
    add('LogonUI.exe', 35, SYSTEM);
    return out;
  }
  const me = userAccount(o.user, o.domain);
  for (const [image, mb, count] of SHELL) for (let i = 0; i < (count ?? 1); i++) add(image, mb, me);
  if (o.state !== 'Disconnected') add('rdpclip.exe', 10, me);
  const taste = hashText(o.user.toLowerCase());
  WORK.forEach(([image, mb, count], bit) => {
    // Outlook and Teams run for nearly everyone; the rest by the user's own mix.
    if (bit > 1 && ((taste >>> bit) & 1) === 0) return;
    const n = count === undefined ? 1 : Math.max(1, count - Math.floor(rng() * (count / 2)));
    for (let i = 0; i < n; i++) add(image, mb, me);
  });
  return out;
}

/** Counter of one server's PIDs: multiples of 4, ascending with gaps, as a host that has run a while shows them. */
export function pidCounter(server: string): () => number {
  const rng = seededRandom(hashText(`pids|${server.toLowerCase()}`));
  let pid = 4;
  return () => {
    pid += 4 * (1 + Math.floor(rng() * 40));
    return pid;
  };
}

export function fromSpec(spec: SimProcessSpec, nextPid: () => number): SimProcess {
  const p: SimProcess = { pid: spec.pid ?? nextPid(), image: spec.image, user: spec.user ?? '', domain: spec.domain ?? '' };
  if (spec.sid !== undefined) p.sid = spec.sid;
  if (spec.workingSetBytes !== undefined) p.workingSetBytes = spec.workingSetBytes;
  return p;
}

