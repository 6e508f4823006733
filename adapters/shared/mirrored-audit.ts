import type { AuditRecord, AuditSink } from '../../src/core/index.js';

/**
 * The file is the record of truth: it must succeed. Mirrors (an audit channel in Slack or Discord)
 * are told afterwards, and their failures never block an action.
 */
export class MirroredAudit implements AuditSink {
  private readonly mirrors: ((r: AuditRecord) => void)[] = [];

  constructor(
    private readonly primary: AuditSink,
    private readonly onMirrorError: (e: unknown) => void = () => undefined,
  ) {}

  addMirror(mirror: (r: AuditRecord) => void | Promise<void>): void {
    this.mirrors.push((r) => {
      try {
        Promise.resolve(mirror(r)).catch(this.onMirrorError);
      } catch (e) {
        this.onMirrorError(e);
      }
    });
  }

  async append(record: AuditRecord): Promise<void> {
    await this.primary.append(record);
    for (const m of this.mirrors) m(record);
  }
}
