export { BotMetrics, APPROVAL_NAMESPACE, CONFIRM_NAMESPACE, poolStatsOf, type BotMetricsOptions, type PoolCounts } from './bot-metrics.js';
export { MeteredAudit } from './metered-audit.js';
export { MeteredBackend } from './metered-backend.js';
export { MeteredStateStore } from './metered-state-store.js';
