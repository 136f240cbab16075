/**
 * The per-element effective learning rates of the last step (DESIGN.md §6, optimizer.effectiveLearningRates())
 * as GET /live sends them to the page's heatmap: per tensor, its shape (torch layout, `denseK.weight`
 * is (out, in)), summary statistics, and the values themselves while the whole model has at most
 * `maxElements` parameters. Beyond that only the statistics go out: a poll stays a few kilobytes
 * whatever the model size.
 *
 * Computed at most once per optimizer step and shared by every poll until the next step: the
 * quantiles sort a copy of each tensor, which is worth paying once, not once per open page.
 * Values are rounded to 4 significant digits (a colour cell cannot show more), which keeps the
 * payload near 10 bytes per element.
 */
import { ConfigError } from '../errors.js';
import { TensorSummarizer } from '../metrics/tensor-stats.js';
import type { TensorStats } from '../metrics/tensor-stats.js';
import type { Learner } from '../pipeline/learner.js';
import { parameterShapes } from './model-export.js';

export interface TensorRates {
  readonly name: string;
  readonly shape: readonly number[];
  readonly min: number | null;
  readonly mean: number | null;
  readonly max: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  /** Row-major like the tensor; absent when the model is over maxElements. */
  readonly values?: Array<number | null>;
}

export interface LearningRatesJson {
  readonly optimizer: string;
  /** Optimizer steps behind these rates; 0: no step yet, so no rates. */
  readonly step: number;
  /** `elements`: every tensor carries its values; `stats`: the model is too large, statistics only. */
  readonly mode: 'elements' | 'stats';
  readonly maxElements: number;
  readonly tensors: readonly TensorRates[];
}

export const DEFAULT_LIVE_MAX_ELEMENTS = 4096;

const round = (v: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(4)) : null);

export class LiveLearningRates {
  private readonly summarizer = new TensorSummarizer([0.5, 0.9]);
  private readonly stats = new Map<string, TensorStats>();
  private readonly shapes: Record<string, number[]>;
  private readonly mode: 'elements' | 'stats';
  private cached: LearningRatesJson | null = null;

  constructor(
    private readonly learner: Learner,
    readonly maxElements = DEFAULT_LIVE_MAX_ELEMENTS,
  ) {
    if (!Number.isSafeInteger(maxElements) || maxElements < 0) {
      throw new ConfigError(`server.live.maxElements: ${maxElements} is invalid: must be an integer >= 0 (0: statistics only)`);
    }
    const { model } = learner.setup;
    this.shapes = parameterShapes(model);
    this.mode = model.parameterCount() <= maxElements ? 'elements' : 'stats';
  }

  snapshot(): LearningRatesJson {
    const { optimizer, trainer } = this.learner.setup;
    const step = trainer.steps;
    if (this.cached !== null && this.cached.step === step) return this.cached;
    const rates = step === 0 ? {} : optimizer.effectiveLearningRates();
    const tensors: TensorRates[] = [];
    for (const name in rates) {
      const values = rates[name];
      let stats = this.stats.get(name);
      if (stats === undefined) {
        stats = this.summarizer.createStats();
        this.stats.set(name, stats);
      }
      this.summarizer.summarize(values, stats);
      tensors.push({
        name,
        shape: this.shapes[name] ?? [values.length],
        min: round(stats.min),
        mean: round(stats.mean),
        max: round(stats.max),
        p50: round(stats.quantiles[0]),
        p90: round(stats.quantiles[1]),
        ...(this.mode === 'elements' ? { values: Array.from(values, round) } : {}),
      });
    }
    this.cached = { optimizer: optimizer.type, step, mode: this.mode, maxElements: this.maxElements, tensors };
    return this.cached;
  }
}
