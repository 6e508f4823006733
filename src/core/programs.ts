import type { ProcessInfo } from '../wts/process.js';

/**
 * The images a logoff prompt leaves out of "Open:": Windows' shell and session plumbing, which
 * every session runs and nobody saves work in. The one list: the README documents it from here
 * (test/core/programs.test.ts checks the two agree). Compared without regard to case.
 */
export const SHELL_IMAGES: readonly { image: string; what: string }[] = [
  { image: 'csrss.exe', what: "the session's Windows subsystem (runs as SYSTEM)" },
  { image: 'winlogon.exe', what: 'the logon process (runs as SYSTEM)' },
  { image: 'LogonUI.exe', what: 'the logon screen' },
  { image: 'userinit.exe', what: 'starts the shell at logon' },
  { image: 'dwm.exe', what: 'the Desktop Window Manager (runs as DWM-n)' },
  { image: 'fontdrvhost.exe', what: 'the font driver host (runs as UMFD-n)' },
  { image: 'explorer.exe', what: 'the shell: taskbar, desktop, file windows' },
  { image: 'sihost.exe', what: 'the Shell Infrastructure Host' },
  { image: 'svchost.exe', what: "per-user services' host" },
  { image: 'taskhostw.exe', what: 'the host of scheduled and background tasks' },
  { image: 'ctfmon.exe', what: 'text input (keyboard layouts, IME)' },
  { image: 'rdpclip.exe', what: "Remote Desktop's clipboard" },
  { image: 'rdpinit.exe', what: 'the RemoteApp logon helper' },
  { image: 'rdpshell.exe', what: 'the RemoteApp shell' },
  { image: 'rdpinput.exe', what: "Remote Desktop's pen and touch input" },
  { image: 'tstheme.exe', what: "Remote Desktop's theme server" },
  { image: 'ShellExperienceHost.exe', what: 'the Start menu, notifications and clock flyouts' },
  { image: 'StartMenuExperienceHost.exe', what: 'the Start menu' },
  { image: 'SearchApp.exe', what: 'Windows Search (Server 2022)' },
  { image: 'SearchUI.exe', what: 'Windows Search (Server 2016, 2019)' },
  { image: 'SearchHost.exe', what: 'Windows Search (Server 2025)' },
  { image: 'TextInputHost.exe', what: 'the touch keyboard and emoji panel' },
  { image: 'RuntimeBroker.exe', what: "Store apps' permission broker" },
  { image: 'ApplicationFrameHost.exe', what: "Store apps' window frames" },
  { image: 'LockApp.exe', what: 'the lock screen' },
  { image: 'backgroundTaskHost.exe', what: "Store apps' background tasks" },
  { image: 'dllhost.exe', what: 'COM surrogate (thumbnails, shell extensions)' },
  { image: 'conhost.exe', what: "a console window's host (the console program itself is listed)" },
  { image: 'smartscreen.exe', what: 'Windows Defender SmartScreen' },
  { image: 'SecurityHealthSystray.exe', what: "Windows Security's notification icon" },
];

const SHELL = new Set(SHELL_IMAGES.map((s) => s.image.toLowerCase()));

export function isShellImage(image: string): boolean {
  return SHELL.has(image.toLowerCase());
}

// People's accounts: a domain's or a computer's own (S-1-5-21-…), or Entra ID's (S-1-12-1-…).
const PERSON_SID = /^S-1-(5-21|12-1)-/i;
// Windows' own accounts when only the name is known: NT AUTHORITY\SYSTEM, Window Manager\DWM-3, NT SERVICE\….
const SYSTEM_DOMAINS = new Set(['nt authority', 'window manager', 'font driver host', 'nt service']);

/**
 * A process Windows runs under one of its own accounts (SYSTEM, LOCAL SERVICE, NETWORK SERVICE,
 * DWM-n, UMFD-n, a service's virtual account), or under none at all (the idle process). Everything
 * else runs as a person's account, whether or not its name could be found.
 */
export function isSystemProcess(p: ProcessInfo): boolean {
  if (p.sid) return !PERSON_SID.test(p.sid);
  if (!p.user) return true;
  return SYSTEM_DOMAINS.has(p.domain.toLowerCase());
}

/** One image and how many processes run it: `chrome.exe ×14`. */
export interface ProgramCount {
  image: string;
  count: number;
}

/**
 * The programs open in one session as a person would name them: the user's processes, without the
 * shell, grouped by image (without regard to case) in the order they first appear.
 */
export function openProgramsOf(processes: readonly ProcessInfo[], sessionId: number): ProgramCount[] {
  const byImage = new Map<string, ProgramCount>();
  for (const p of processes) {
    if (p.sessionId !== sessionId || isSystemProcess(p) || isShellImage(p.image) || p.image === '') continue;
    const key = p.image.toLowerCase();
    const seen = byImage.get(key);
    if (seen) seen.count++;
    else byImage.set(key, { image: p.image, count: 1 });
  }
  return [...byImage.values()];
}

/**
 * `WINWORD.EXE, EXCEL.EXE, chrome.exe ×14`, cut after `max` images, or before the text passes
 * `maxChars` (image names can be long), with a count of the rest.
 */
export function programList(programs: readonly ProgramCount[], max: number, maxChars = Infinity): string {
  const shown: string[] = [];
  let size = 0;
  for (const p of programs.slice(0, max)) {
    const item = p.count > 1 ? `${p.image} \u00d7${p.count}` : p.image;
    if (shown.length > 0 && size + item.length + 2 > maxChars) break;
    shown.push(item.length > maxChars ? `${item.slice(0, Math.max(1, maxChars - 1))}…` : item);
    size += item.length + 2;
  }
  const rest = programs.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
