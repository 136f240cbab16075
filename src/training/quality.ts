import type { Tensor } from '../math/tensor.js';
import type { Minibatch } from './minibatch.js';
import { RollingMean } from './running-stats.js';

/**
 * Prequential (predict-then-learn, "progressive validation") quality: each example is scored by the
 * model as it was BEFORE the step that learns from it, so the figures are honest out-of-sample
 * estimates without a held-out set (River's evaluate.progressive_val_score).
 *
 * What the model's outputs mean decides how they are scored:
 * - `values`: regression outputs → squared error (RMSE).
 * - `probabilities` / `logits` / `scores` with one output: binary; class 1 when p >= 0.5 (logit >= 0).
 * - the same with C > 1 outputs: multiclass; predicted class = argmax (softmax is monotonic).
 * Log-loss is reported for outputs that are or map to probabilities (not for hinge scores).
 *
 * The log-loss of a row is -log p(label), p clipped to [1e-15, 1]. When the training loss is itself that
 * negative log-likelihood (softmax cross-entropy without class weights or smoothing, BCE), the trainer
 * hands over the loss's per-row values and a row with a hard label (a class index, or a binary target of
 * exactly 0 or 1) takes its log-loss from there, clipped alike, instead of a second softmax: the same
 * quantity up to rounding, at none of the cost (on a 3-class softmax regression the second softmax was a
 * third of the step).
 */
export type OutputKind = 'values' | 'probabilities' | 'logits' | 'scores';
export type Task = 'regression' | 'binary' | 'multiclass';

export interface QualitySnapshot {
  readonly task: Task;
  /** Examples scored since the start (or since the restored state). */
  readonly samples: number;
  /** Over the whole run. */
  readonly accuracy: number | null;
  readonly rmse: number | null;
  readonly logLoss: number | null;
  /** Over the last `window` examples. */
  readonly windowAccuracy: number | null;
  readonly windowRmse: number | null;
  readonly windowLogLoss: number | null;
}

export interface QualityState {
  samples: number;
  correct: number;
  squaredError: number;
  logLoss: number;
  windowCorrect: ReturnType<RollingMean['getState']>;
  windowSquaredError: ReturnType<RollingMean['getState']>;
  windowLogLoss: ReturnType<RollingMean['getState']>;
}

// Probabilities are clipped before the log so a confident mistake costs a large, finite amount.
const LOG_LOSS_EPS = 1e-15;
/** -log(LOG_LOSS_EPS): the clip as a ceiling on a log-loss computed as -log p directly. */
const LOG_LOSS_CAP = -Math.log(LOG_LOSS_EPS);

export class PrequentialQuality {
  private samples = 0;
  private correct = 0;
  private squaredError = 0;
  private logLossSum = 0;
  private readonly windowCorrect: RollingMean;
  private readonly windowSquaredError: RollingMean;
  private readonly windowLogLoss: RollingMean;
  readonly hasLogLoss: boolean;

  constructor(
    readonly task: Task,
    readonly outputKind: OutputKind,
    readonly outputs: number,
    readonly window = 1000,
  ) {
    this.windowCorrect = new RollingMean(window);
    this.windowSquaredError = new RollingMean(window);
    this.windowLogLoss = new RollingMean(window);
    this.hasLogLoss = task !== 'regression' && outputKind !== 'scores' && outputKind !== 'values';
  }

  /**
   * Scores a batch from the outputs the model produced before learning from it. `targetLogLoss`, when
   * given, holds each row's -log p(target) as the training loss computed it from these same outputs
   * (see the file comment); rows with soft targets ignore it.
   */
  observe(outputs: Tensor, batch: Minibatch, targetLogLoss: Float64Array | null = null): void {
    if (this.task === 'regression') this.observeRegression(outputs, batch);
    else this.observeClassification(outputs, batch, targetLogLoss);
    this.samples += batch.size;
  }

  private observeRegression(outputs: Tensor, batch: Minibatch): void {
    const C = this.outputs;
    const targets = batch.targets;
    for (let r = 0; r < batch.size; r++) {
      const o = r * C;
      let se = 0;
      for (let j = 0; j < C; j++) {
        const d = outputs[o + j] - targets[o + j];
        se += d * d;
      }
      se /= C;
      this.squaredError += se;
      this.windowSquaredError.update(se);
    }
  }

  private observeClassification(outputs: Tensor, batch: Minibatch, targetLogLoss: Float64Array | null): void {
    const C = this.outputs;
    const dense = batch.targets instanceof Float64Array;
    const logits = this.outputKind === 'logits';
    for (let r = 0; r < batch.size; r++) {
      const o = r * C;
      const label = dense ? this.denseLabel(batch.targets as Float64Array, o) : batch.targets[r];
      // The documented rule: class 1 when p >= 0.5, i.e. logit >= 0, so a logit needs no sigmoid here.
      const predicted = C === 1 ? (logits ? (outputs[o] >= 0 ? 1 : 0) : this.positiveProbability(outputs[o]) >= 0.5 ? 1 : 0) : argmax(outputs, o, C);
      const hit = predicted === label ? 1 : 0;
      this.correct += hit;
      this.windowCorrect.update(hit);
      if (this.hasLogLoss) {
        // A probability row (dense, C > 1) or a soft binary target is not a hard label: score it from the outputs.
        const hard = !dense || (C === 1 && batch.targets[o] === label);
        const ll = targetLogLoss !== null && hard ? Math.min(Math.max(targetLogLoss[r], 0), LOG_LOSS_CAP) : this.logLoss(outputs, o, C, label);
        this.logLossSum += ll;
        this.windowLogLoss.update(ll);
      }
    }
  }

  snapshot(): QualitySnapshot {
    const n = this.samples;
    const classification = this.task !== 'regression';
    const some = (v: number): number | null => (n === 0 || Number.isNaN(v) ? null : v);
    return {
      task: this.task,
      samples: n,
      accuracy: classification ? some(this.correct / n) : null,
      rmse: classification ? null : some(Math.sqrt(this.squaredError / n)),
      logLoss: this.hasLogLoss ? some(this.logLossSum / n) : null,
      windowAccuracy: classification ? some(this.windowCorrect.value) : null,
      windowRmse: classification ? null : some(Math.sqrt(this.windowSquaredError.value)),
      windowLogLoss: this.hasLogLoss ? some(this.windowLogLoss.value) : null,
    };
  }

  getState(): QualityState {
    return {
      samples: this.samples,
      correct: this.correct,
      squaredError: this.squaredError,
      logLoss: this.logLossSum,
      windowCorrect: this.windowCorrect.getState(),
      windowSquaredError: this.windowSquaredError.getState(),
      windowLogLoss: this.windowLogLoss.getState(),
    };
  }

  setState(state: QualityState): void {
    this.samples = state.samples;
    this.correct = state.correct;
    this.squaredError = state.squaredError;
    this.logLossSum = state.logLoss;
    this.windowCorrect.setState(state.windowCorrect);
    this.windowSquaredError.setState(state.windowSquaredError);
    this.windowLogLoss.setState(state.windowLogLoss);
  }

  /** -log p(label) from the outputs, p clipped to [LOG_LOSS_EPS, 1]. */
  private logLoss(outputs: Tensor, offset: number, C: number, label: number): number {
    let p: number;
    if (C === 1) {
      const positive = this.positiveProbability(outputs[offset]);
      p = label === 1 ? positive : 1 - positive;
    } else {
      p = this.classProbability(outputs, offset, C, label);
    }
    return -Math.log(Math.min(Math.max(p, LOG_LOSS_EPS), 1));
  }

  private positiveProbability(output: number): number {
    return this.outputKind === 'probabilities' ? output : 1 / (1 + Math.exp(-output));
  }

  private classProbability(outputs: Tensor, offset: number, C: number, label: number): number {
    if (this.outputKind === 'probabilities') return outputs[offset + label];
    // Stable softmax of logits: subtract the max before exponentiating.
    let max = -Infinity;
    for (let j = 0; j < C; j++) if (outputs[offset + j] > max) max = outputs[offset + j];
    let z = 0;
    for (let j = 0; j < C; j++) z += Math.exp(outputs[offset + j] - max);
    return Math.exp(outputs[offset + label] - max) / z;
  }

  /** A dense target row's class: its argmax (one-hot or probability target), or 0/1 for one output. */
  private denseLabel(targets: Float64Array, offset: number): number {
    return this.outputs === 1 ? (targets[offset] >= 0.5 ? 1 : 0) : argmax(targets, offset, this.outputs);
  }
}

function argmax(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  let bestValue = values[offset];
  for (let j = 1; j < n; j++) {
    if (values[offset + j] > bestValue) {
      bestValue = values[offset + j];
      best = j;
    }
  }
  return best;
}
