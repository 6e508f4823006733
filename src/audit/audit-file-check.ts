import { close, fstat, mkdir, open, stat, write } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fstatAsync = promisify(fstat);
const statAsync = promisify(stat);
const mkdirAsync = promisify(mkdir);

/** How long opening the audit file may take before it is reported as hung. */
export const AUDIT_CHECK_TIMEOUT_MS = 5_000;

export type AuditFileCheck =
  | { ok: true; created: string[] }
  /** `hung`: a file-system call never returned; it still holds a thread, so the process must exit. */
  | { ok: false; problem: string; hung: boolean };

class Problem extends Error {}

function codeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

function openProblem(path: string, e: unknown): string {
  const code = codeOf(e);
  switch (code) {
    case 'EISDIR':
      return `${path} is a folder; name a file in it, e.g. ${join(path, 'rwinsta-audit.jsonl')}`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to append to ${path} (${code}); give the bot's account write access to it and its folder, or choose another path`;
    case 'ENOSPC':
      return `${path}: no space left on the device (ENOSPC); free some space or choose another disk`;
    case 'EROFS':
      return `${path} is on a read-only file system (EROFS); choose a writable folder`;
    case 'ENOTDIR':
      return `a part of ${path} is a file, not a folder (ENOTDIR)`;
    default:
      return `${path} cannot be opened for append (${code})`;
  }
}

/**
 * Creates the missing folders one level at a time. Node's recursive mkdir never settles where a
 * parent exists but mkdir answers ENOENT (under /proc): here that is one clear error.
 */
export async function ensureFolder(dir: string, forFile?: string): Promise<string[]> {
  const purpose = forFile ? ` to hold ${forFile}` : '';
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      const s = await statAsync(at);
      if (!s.isDirectory()) throw new Problem(`${at} is a file, not a folder, so it cannot${forFile ? ` hold ${forFile}` : ' hold files'}`);
      break;
    } catch (e) {
      if (e instanceof Problem) throw e;
      if (codeOf(e) !== 'ENOENT') throw new Problem(`cannot look at the folder ${at}${purpose} (${codeOf(e)})`);
      missing.unshift(at);
      const up = dirname(at);
      if (up === at) break;
      at = up;
    }
  }
  for (const d of missing) {
    try {
      await mkdirAsync(d);
    } catch (e) {
      if (codeOf(e) !== 'EEXIST') throw new Problem(`cannot create the folder ${d}${purpose} (${codeOf(e)})`);
    }
  }
  return missing;
}

/**
 * Opens the file for append (creating it, mode 0640) and writes zero bytes to it: a zero-length
 * write(2) reaches the device, so /dev/full answers ENOSPC, while a real audit file is left unchanged.
 * (Appending an empty string through fs/promises writes nothing at all and would not notice.)
 */
async function probeAppend(path: string): Promise<void> {
  let fd: number;
  try {
    fd = await openAsync(path, 'a', 0o640);
  } catch (e) {
    throw new Problem(openProblem(path, e));
  }
  try {
    if ((await fstatAsync(fd)).isDirectory()) throw new Problem(openProblem(path, Object.assign(new Error(), { code: 'EISDIR' })));
    await new Promise<void>((resolve, reject) => write(fd, Buffer.alloc(0), 0, 0, null, (e) => (e ? reject(e) : resolve())));
  } catch (e) {
    throw e instanceof Problem ? e : new Problem(openProblem(path, e));
  } finally {
    await closeAsync(fd).catch(() => undefined);
  }
}

/**
 * Whether the audit file can be appended to: its folders exist or can be created, and it opens for
 * append and accepts a write. Bounded: a call that hangs (a FIFO, a dead network share) is reported.
 */
export async function checkAuditFile(path: string, timeoutMs = AUDIT_CHECK_TIMEOUT_MS): Promise<AuditFileCheck> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<AuditFileCheck>((resolve) => {
    timer = setTimeout(() => {
      const s = Math.round(timeoutMs / 100) / 10;
      resolve({ ok: false, hung: true, problem: `opening ${path} for append did not finish within ${s} s (a FIFO, a hung network share, or a special file system such as /proc?); choose a file in a local folder` });
    }, timeoutMs);
  });
  const check = (async (): Promise<AuditFileCheck> => {
    try {
      const created = await ensureFolder(dirname(path), path);
      await probeAppend(path);
      return { ok: true, created };
    } catch (e) {
      return { ok: false, hung: false, problem: e instanceof Problem ? e.message : openProblem(path, e) };
    }
  })();
  try {
    return await Promise.race([check, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
