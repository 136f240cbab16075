// Prometheus metrics of a learner (re-exports only).
export { LearnerMetrics, SAMPLE_REJECT_REASONS, BATCH_OUTCOMES } from './learner-metrics.js';
export { DEFAULT_EFFECTIVE_LR_QUANTILES, DEFAULT_PER_ELEMENT_SERIES_CAP, STEP_DURATION_BUCKETS_SECONDS } from './options.js';
export type { LearnerMetricsOptions, ResolvedMetricsOptions } from './options.js';
export { TensorSummarizer } from './tensor-stats.js';
export type { TensorStats } from './tensor-stats.js';
