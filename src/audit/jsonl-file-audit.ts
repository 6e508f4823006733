import { appendFile } from 'node:fs/promises';
import type { AuditRecord, AuditSink } from '../core/audit.js';
import { checkAuditFile } from './audit-file-check.js';

/**
 * Appends one JSON line per record. The file is opened per record so log rotation is safe, and a
 * failed write (permissions, full disk) rejects, which makes the bot refuse to act.
 */
export class JsonlFileAudit implements AuditSink {
  constructor(readonly path: string) {}

  /** Creates the folders and the file; rejects with a sentence saying what is wrong, within a bounded wait. */
  async prepare(): Promise<void> {
    const r = await checkAuditFile(this.path);
    if (!r.ok) throw new Error(r.problem);
  }

  async append(record: AuditRecord): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(record)}\n`, { encoding: 'utf8', mode: 0o640 });
  }
}
