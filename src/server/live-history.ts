/**
 * The recent learning curve behind GET /live: a bounded ring buffer of points (time, step, samples,
 * running and last-batch loss, prequential quality), sampled from the learner every `sampleEveryMs`.
 *
 * Sampled on a timer rather than on step events so that serving costs the training loop nothing: a
 * point is a few reads of state the trainer already keeps. A point is recorded only when at least one
 * step was applied since the last one, so an idle learner does not push its learning curve out of the
 * buffer with copies of the same point. Columns are preallocated Float64Arrays; a sample allocates
 * nothing. A figure that does not exist yet (a loss before the first step) is NaN, sent as null.
 */
import { ConfigError } from '../errors.js';
import type { Learner } from '../pipeline/learner.js';

export interface LiveHistoryOptions {
  /** Points kept; the oldest is dropped past this. */
  readonly capacity?: number;
  /** Sampling period of the timer started by start(). */
  readonly sampleEveryMs?: number;
  /** Wall clock in milliseconds since the epoch (tests inject one). */
  readonly now?: () => number;
}

/** Which prequential figures the task has (the same rule as the metrics: accuracy or RMSE, log-loss if probabilities). */
export type QualityName = 'accuracy' | 'rmse';

/** Columns in chronological order, one entry per point. */
export interface LiveHistoryJson {
  readonly capacity: number;
  readonly sampleEveryMs: number;
  readonly quality: QualityName;
  readonly hasLogLoss: boolean;
  readonly timeMs: number[];
  readonly step: number[];
  readonly samples: number[];
  readonly lossRunning: Array<number | null>;
  readonly lossLastBatch: Array<number | null>;
  readonly qualityWindow: Array<number | null>;
  readonly qualityCumulative: Array<number | null>;
  readonly logLossWindow: Array<number | null>;
}

export const DEFAULT_LIVE_CAPACITY = 600;
export const DEFAULT_LIVE_SAMPLE_EVERY_MS = 1000;

const COLUMNS = ['timeMs', 'step', 'samples', 'lossRunning', 'lossLastBatch', 'qualityWindow', 'qualityCumulative', 'logLossWindow'] as const;
type Column = (typeof COLUMNS)[number];

export class LiveHistory {
  readonly capacity: number;
  readonly sampleEveryMs: number;
  readonly quality: QualityName;
  private readonly now: () => number;
  private readonly columns: Record<Column, Float64Array>;
  /** Index the next point goes to. */
  private head = 0;
  private size = 0;
  private lastStep = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly learner: Learner,
    options: LiveHistoryOptions = {},
  ) {
    const { capacity = DEFAULT_LIVE_CAPACITY, sampleEveryMs = DEFAULT_LIVE_SAMPLE_EVERY_MS, now = Date.now } = options;
    if (!Number.isSafeInteger(capacity) || capacity < 2) {
      throw new ConfigError(`server.live.capacity: ${capacity} is invalid: must be an integer >= 2 (a curve needs two points)`);
    }
    if (!Number.isFinite(sampleEveryMs) || sampleEveryMs < 10) {
      throw new ConfigError(`server.live.sampleEveryMs: ${sampleEveryMs} is invalid: must be a number of milliseconds >= 10`);
    }
    this.capacity = capacity;
    this.sampleEveryMs = sampleEveryMs;
    this.now = now;
    this.quality = learner.setup.trainer.quality.task === 'regression' ? 'rmse' : 'accuracy';
    this.columns = Object.fromEntries(COLUMNS.map((c) => [c, new Float64Array(capacity)])) as Record<Column, Float64Array>;
  }

  /** Samples every sampleEveryMs until stop(); the timer never keeps the process alive. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sample(), this.sampleEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  get points(): number {
    return this.size;
  }

  /** Records a point if a step was applied since the last one; returns whether it did. */
  sample(): boolean {
    const { trainer } = this.learner.setup;
    const step = trainer.steps;
    if (step === this.lastStep) return false;
    this.lastStep = step;
    const q = trainer.qualitySnapshot();
    const c = this.columns;
    const i = this.head;
    c.timeMs[i] = this.now();
    c.step[i] = step;
    c.samples[i] = this.learner.counters.samplesTrained;
    c.lossRunning[i] = trainer.runningLoss.value;
    c.lossLastBatch[i] = trainer.lastBatchLoss;
    c.qualityWindow[i] = (this.quality === 'rmse' ? q.windowRmse : q.windowAccuracy) ?? Number.NaN;
    c.qualityCumulative[i] = (this.quality === 'rmse' ? q.rmse : q.accuracy) ?? Number.NaN;
    c.logLossWindow[i] = q.windowLogLoss ?? Number.NaN;
    this.head = (i + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
    return true;
  }

  toJSON(): LiveHistoryJson {
    const start = (this.head - this.size + this.capacity) % this.capacity;
    const column = (c: Column): number[] => {
      const out = new Array<number>(this.size);
      for (let k = 0; k < this.size; k++) out[k] = this.columns[c][(start + k) % this.capacity];
      return out;
    };
    const nullable = (c: Column): Array<number | null> => column(c).map((v) => (Number.isFinite(v) ? v : null));
    return {
      capacity: this.capacity,
      sampleEveryMs: this.sampleEveryMs,
      quality: this.quality,
      hasLogLoss: this.learner.setup.trainer.quality.hasLogLoss,
      timeMs: column('timeMs'),
      step: column('step'),
      samples: column('samples'),
      lossRunning: nullable('lossRunning'),
      lossLastBatch: nullable('lossLastBatch'),
      qualityWindow: nullable('qualityWindow'),
      qualityCumulative: nullable('qualityCumulative'),
      logLossWindow: nullable('logLossWindow'),
    };
  }
}
