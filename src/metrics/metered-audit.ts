import type { AuditRecord, AuditSink } from '../core/audit.js';
import type { BotMetrics } from './bot-metrics.js';

/** Counts requests by verb and decision from the audit records, once each is written. */
export class MeteredAudit implements AuditSink {
  constructor(
    private readonly inner: AuditSink,
    private readonly metrics: Pick<BotMetrics, 'countRequest'>,
  ) {}

  async append(record: AuditRecord): Promise<void> {
    await this.inner.append(record);
    this.metrics.countRequest(record);
  }
}
