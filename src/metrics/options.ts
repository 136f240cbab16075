/** Options of LearnerMetrics, their defaults and their validation (ConfigError names field, value, rule). */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

export interface LearnerMetricsOptions {
  /**
   * Per-element effective learning rates (`learner_effective_learning_rate_element`) are exported only
   * while the model has at most this many parameters: one series per parameter. The default covers the
   * chapter's 2 -> 100 -> 3 MLP (603 parameters); 0 turns them off.
   */
  readonly perElementSeriesCap?: number;
  /** Quantiles of the per-tensor effective learning rates, each in (0, 1); exported as stat="p50", ... */
  readonly effectiveLrQuantiles?: readonly number[];
  /** Upper bounds of the step duration histogram, in seconds, increasing. */
  readonly stepDurationBucketsSeconds?: readonly number[];
  /** prom-client's default process and Node.js metrics (CPU, memory, event loop lag, GC) on the same registry. */
  readonly processMetrics?: boolean;
  /** The `version` label of learner_build_info; default: this package's version. */
  readonly version?: string;
  /** Wall clock in milliseconds since the epoch (tests inject one). */
  readonly now?: () => number;
}

export interface ResolvedMetricsOptions {
  readonly perElementSeriesCap: number;
  readonly effectiveLrQuantiles: readonly number[];
  readonly stepDurationBucketsSeconds: readonly number[];
  readonly processMetrics: boolean;
  readonly version: string;
  readonly now: () => number;
}

export const DEFAULT_PER_ELEMENT_SERIES_CAP = 1024;
export const DEFAULT_EFFECTIVE_LR_QUANTILES: readonly number[] = [0.5, 0.9];

/**
 * 10 µs .. 1 s in 1-2.5-5 steps: a linear model's step on a small batch takes tens of microseconds, a
 * wide MLP on a large batch hundreds of milliseconds; 16 buckets keep the histogram at 18 series.
 */
export const STEP_DURATION_BUCKETS_SECONDS: readonly number[] = [
  1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

export function resolveMetricsOptions(options: LearnerMetricsOptions): ResolvedMetricsOptions {
  const {
    perElementSeriesCap = DEFAULT_PER_ELEMENT_SERIES_CAP,
    effectiveLrQuantiles = DEFAULT_EFFECTIVE_LR_QUANTILES,
    stepDurationBucketsSeconds = STEP_DURATION_BUCKETS_SECONDS,
    processMetrics = true,
    version = packageVersion(),
    now = Date.now,
  } = options;
  if (!Number.isSafeInteger(perElementSeriesCap) || perElementSeriesCap < 0) {
    throw new ConfigError(`metrics.perElementSeriesCap: ${perElementSeriesCap} is invalid: must be an integer >= 0`);
  }
  const labels = new Set<string>();
  for (const [i, q] of effectiveLrQuantiles.entries()) {
    if (typeof q !== 'number' || !(q > 0 && q < 1)) {
      throw new ConfigError(`metrics.effectiveLrQuantiles[${i}]: ${q} is invalid: must be a number in (0, 1) (min and max are always exported)`);
    }
    const label = quantileLabel(q);
    if (labels.has(label)) throw new ConfigError(`metrics.effectiveLrQuantiles[${i}]: ${q} is a duplicate (stat="${label}")`);
    labels.add(label);
  }
  for (const [i, bound] of stepDurationBucketsSeconds.entries()) {
    if (!(bound > 0) || !Number.isFinite(bound) || (i > 0 && !(bound > stepDurationBucketsSeconds[i - 1]))) {
      throw new ConfigError(`metrics.stepDurationBucketsSeconds[${i}]: ${bound} is invalid: bounds must be finite, > 0 and increasing`);
    }
  }
  return { perElementSeriesCap, effectiveLrQuantiles, stepDurationBucketsSeconds, processMetrics, version, now };
}

/** 0.5 -> "p50", 0.999 -> "p99.9": the `stat` label of a quantile. */
export function quantileLabel(q: number): string {
  return `p${Number((q * 100).toPrecision(12))}`;
}

/** The version in this package's package.json (two levels up from both src/metrics and dist/metrics). */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
