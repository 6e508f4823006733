import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditRecord, AuditSink } from '../core/audit.js';

/**
 * Appends one JSON line per record. The file is opened per record so log rotation is safe, and a
 * failed write (permissions, full disk) rejects, which makes the bot refuse to act.
 */
export class JsonlFileAudit implements AuditSink {
  constructor(readonly path: string) {}

  async prepare(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, '', { mode: 0o640 });
  }

  async append(record: AuditRecord): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(record)}\n`, { encoding: 'utf8', mode: 0o640 });
  }
}
