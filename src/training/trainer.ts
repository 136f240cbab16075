/**
 * One prequential training step on a minibatch (DESIGN.md §1):
 *
 *   forward (training mode) → loss → [non-finite guard] → backward → + regularization gradient
 *   → [non-finite guard] → clip by global norm → quality metrics from the pre-update outputs
 *   → optimizer.step → proximal L1 (if chosen)
 *
 * Quality is scored on outputs computed BEFORE the parameters move (progressive validation), and only
 * for batches that are applied, so a rejected batch leaves no trace in the model, the optimizer state or
 * the figures. With dropout, the training forward is noisy, so quality comes from an inference forward.
 *
 * A single-logit model trained with bce_with_logits (logistic regression) takes the fused forward, loss
 * and backward of single-logit-bce.ts: the same arithmetic without the generic layers around it.
 *
 * Per-step cost: everything above is O(parameters + batch) with no allocation but the report. The
 * gradient norm is computed every step because it is the non-finite guard on the gradient; the update
 * ratio ||Δp|| / ||p|| needs a copy of the parameters taken before the update, so it is measured on one
 * applied step in `updateRatioEverySteps` and reported until the next measurement.
 *
 * Sample weights: when a batch carries non-unit weights the loss is evaluated per element (reduction
 * 'none') and reduced here: mean = sum_i w_i sum_j l_ij / (k * sum_i w_i), with k the loss elements per
 * row; sum = sum_i w_i sum_j l_ij. Unit-weight batches use the loss's own reduction, so they match
 * PyTorch exactly.
 */
import { ConfigError } from '../errors.js';
import type { Loss, LossConfig, LossResult } from '../losses/types.js';
import { createLoss } from '../losses/registry.js';
import type { Rng } from '../math/rng.js';
import type { ParamMap, Tensor } from '../math/tensor.js';
import { allocate } from '../math/tensor.js';
import type { Model } from '../model/types.js';
import { clipGradNorm, globalGradNorm } from '../optim/clip.js';
import { addL1Subgradient, addL2Gradient, l1Penalty, l2Penalty, proximalL1 } from '../optim/regularizers.js';
import type { Optimizer } from '../optim/types.js';
import type { Minibatch } from './minibatch.js';
import { PrequentialQuality } from './quality.js';
import { SingleLogitBce } from './single-logit-bce.js';
import type { OutputKind, QualitySnapshot, Task } from './quality.js';
import { Ema } from './running-stats.js';

export interface RegularizationConfig {
  /** L1 strength lambda (penalty lambda * sum|p|). 0 = off. */
  readonly l1?: number;
  /** 'subgradient' adds lambda*sign(p) to the gradient; 'proximal' soft-thresholds after the step (exact zeros). */
  readonly l1Mode?: 'subgradient' | 'proximal';
  /** L2 strength lambda (penalty lambda * ||p||^2). 0 = off. Prefer the optimizer's weightDecay = 2*lambda. */
  readonly l2?: number;
  /** Leave `*.bias` tensors unpenalized. */
  readonly excludeBiases?: boolean;
  /** Clip gradients to this global L2 norm; 0 or absent = off. */
  readonly clipGradNorm?: number;
}

export interface TrainerOptions {
  readonly model: Model;
  readonly lossConfig: LossConfig;
  readonly optimizer: Optimizer;
  readonly task: Task;
  readonly outputKind: OutputKind;
  /** Draws dropout masks; checkpointed with the learner. */
  readonly rng: Rng;
  readonly regularization?: RegularizationConfig;
  /** True when the model has dropout: quality then comes from an inference forward. */
  readonly inferenceForQuality?: boolean;
  /** Rolling window of the prequential quality figures, in samples. */
  readonly qualityWindow?: number;
  /** Half-life of the running (EMA) loss, in steps. */
  readonly lossHalfLifeSteps?: number;
  /**
   * Measure ||Δp|| / ||p|| on one applied step in this many (each measurement copies the parameters
   * before the update and makes a second pass after it); 0 = never. Default 100. The first applied step,
   * and each step while no ratio is known (after a restore, or when ||p|| was 0), is always measured.
   */
  readonly updateRatioEverySteps?: number;
  /**
   * Take a fused path where one applies (single-logit-bce.ts; default true). Results are bit-identical
   * either way: false exists so that tests can compare the two.
   */
  readonly fuse?: boolean;
}

const DEFAULT_UPDATE_RATIO_EVERY_STEPS = 100;

export type StepRejection = 'non_finite_loss' | 'non_finite_gradient';

export interface StepReport {
  /** Whether the update was applied; a rejected batch changes nothing. */
  readonly applied: boolean;
  readonly rejection: StepRejection | null;
  /** Optimizer steps applied so far (including this one when applied). */
  readonly step: number;
  readonly batchSize: number;
  /** The batch's data loss (the loss's reduction, before this step's update). */
  readonly loss: number;
  /** L1 + L2 penalty added to the objective (0 without regularization). */
  readonly penalty: number;
  /** Global L2 norm of the gradient before clipping (data + penalty), computed every step. */
  readonly gradNorm: number;
  /**
   * ||Δp|| / ||p|| over all parameters, from the last measured step (this one or up to
   * `updateRatioEverySteps` - 1 applied steps earlier); NaN when not measured yet, off, or not applied.
   */
  readonly updateRatio: number;
  /** The learning rate this step used. */
  readonly lr: number;
}

export class Trainer {
  readonly model: Model;
  readonly optimizer: Optimizer;
  readonly quality: PrequentialQuality;
  readonly runningLoss: Ema;
  private readonly loss: Loss;
  /** The fused path for a single-logit model with bce_with_logits; null for every other pairing. */
  private readonly fused: SingleLogitBce | null;
  /** Per-element loss for weighted batches, created on the first weighted batch. */
  private unreducedLoss: Loss | null = null;
  private readonly lossConfig: LossConfig;
  /** The loss's per-row values are -log p(target) (Loss.valuesAreTargetNll): quality reuses them. */
  private readonly lossIsTargetNll: boolean;
  private readonly regularization: Required<RegularizationConfig>;
  private readonly inferenceForQuality: boolean;
  private readonly updateRatioEverySteps: number;
  /** The forward's options, made once: the training forward draws dropout masks from the trainer's rng. */
  private readonly trainingForward: { readonly training: true; readonly rng: Rng };
  private previous: ParamMap | null = null;
  private lastUpdateRatio = Number.NaN;
  private weightedGrad: Tensor | null = null;
  /** The frozen gradient map last listed by tensorsOf, and its tensors in the map's order. */
  private listedGrads: ParamMap | null = null;
  private gradList: readonly Tensor[] = [];
  private applied = 0;
  private lastLoss = Number.NaN;

  constructor(options: TrainerOptions) {
    this.model = options.model;
    this.optimizer = options.optimizer;
    this.lossConfig = options.lossConfig;
    this.loss = createLoss(options.lossConfig);
    this.lossIsTargetNll = this.loss.valuesAreTargetNll === true;
    const r = options.regularization ?? {};
    this.regularization = {
      l1: r.l1 ?? 0,
      l1Mode: r.l1Mode ?? 'proximal',
      l2: r.l2 ?? 0,
      excludeBiases: r.excludeBiases ?? true,
      clipGradNorm: r.clipGradNorm ?? 0,
    };
    this.inferenceForQuality = options.inferenceForQuality ?? false;
    // Quality from an inference forward needs the general path's predict; the fused path has none.
    this.fused = options.fuse === false || this.inferenceForQuality ? null : SingleLogitBce.select(options.model, this.loss);
    this.updateRatioEverySteps = options.updateRatioEverySteps ?? DEFAULT_UPDATE_RATIO_EVERY_STEPS;
    if (!Number.isInteger(this.updateRatioEverySteps) || this.updateRatioEverySteps < 0) {
      throw new ConfigError(`updateRatioEverySteps = ${String(options.updateRatioEverySteps)} is invalid: must be an integer >= 0 (0 = never)`);
    }
    this.trainingForward = { training: true, rng: options.rng };
    this.quality = new PrequentialQuality(options.task, options.outputKind, this.model.outputs, options.qualityWindow ?? 1000);
    this.runningLoss = new Ema(options.lossHalfLifeSteps ?? 100);
  }

  /** Steps applied so far (restored with the optimizer state). */
  get steps(): number {
    return this.applied;
  }

  /** The last applied batch's loss. */
  get lastBatchLoss(): number {
    return this.lastLoss;
  }

  step(batch: Minibatch): StepReport {
    const { model, optimizer } = this;
    const lr = optimizer.currentLr();
    const fused = this.fused !== null && this.fused.accepts(batch) ? this.fused : null;
    let outputs: Tensor;
    let value: number;
    let grad: Tensor | null = null;
    let rowLosses: Float64Array | null;
    if (fused !== null) {
      outputs = fused.forward(batch);
      value = fused.loss(batch);
      rowLosses = fused.rowLosses;
    } else {
      outputs = model.forward(batch.x, batch.size, this.trainingForward);
      const result = this.computeLoss(outputs, batch);
      value = result.value;
      grad = result.grad;
      rowLosses = oneValuePerRow(result.values, batch.size);
    }
    if (!Number.isFinite(value)) return this.rejected('non_finite_loss', batch, value, Number.NaN, lr);

    const grads = fused !== null ? fused.backward(batch) : model.backward(grad as Tensor);
    const penalty = this.addPenaltyGradients(grads);
    const gradTensors = this.tensorsOf(grads);
    const gradNorm = this.regularization.clipGradNorm > 0 ? clipGradNorm(gradTensors, this.regularization.clipGradNorm) : globalGradNorm(gradTensors);
    if (!Number.isFinite(gradNorm)) return this.rejected('non_finite_gradient', batch, value, gradNorm, lr);

    // Prequential: score the outputs of the model as it was before this update. The loss's per-row
    // values are its log-loss only when they were computed from these outputs (not after dropout).
    if (this.inferenceForQuality) this.quality.observe(model.predict(batch.x, batch.size), batch);
    else this.quality.observe(outputs, batch, this.lossIsTargetNll ? rowLosses : null);

    const every = this.updateRatioEverySteps;
    const measureRatio = every > 0 && (this.applied % every === 0 || Number.isNaN(this.lastUpdateRatio));
    if (measureRatio) this.rememberParameters();
    optimizer.step(model.params, grads);
    if (this.regularization.l1 > 0 && this.regularization.l1Mode === 'proximal') {
      proximalL1(model.params, this.regularization.l1, lr, { excludeBiases: this.regularization.excludeBiases });
    }
    this.applied++;
    this.lastLoss = value;
    this.runningLoss.update(value);
    if (measureRatio) this.lastUpdateRatio = this.updateRatio();
    return {
      applied: true,
      rejection: null,
      step: this.applied,
      batchSize: batch.size,
      loss: value,
      penalty,
      gradNorm,
      updateRatio: this.lastUpdateRatio,
      lr,
    };
  }

  qualitySnapshot(): QualitySnapshot {
    return this.quality.snapshot();
  }

  getState(): TrainerState {
    return { applied: this.applied, lastLoss: this.lastLoss, runningLoss: this.runningLoss.getState(), quality: this.quality.getState() };
  }

  setState(state: TrainerState): void {
    this.applied = state.applied;
    this.lastLoss = state.lastLoss;
    this.runningLoss.setState(state.runningLoss);
    this.quality.setState(state.quality);
  }

  /** A refused batch: nothing was changed, so nothing but the guard's figures is reported. */
  private rejected(rejection: StepRejection, batch: Minibatch, loss: number, gradNorm: number, lr: number): StepReport {
    return { applied: false, rejection, step: this.applied, batchSize: batch.size, loss, penalty: 0, gradNorm, updateRatio: Number.NaN, lr };
  }

  /** The batch's loss, its gradient and the loss's unweighted values (the loss's own result when unweighted). */
  private computeLoss(outputs: Tensor, batch: Minibatch): LossResult {
    if (batch.weights === null) return this.loss.compute(outputs, batch.targets, batch.size);
    this.unreducedLoss ??= createLoss({ ...this.lossConfig, reduction: 'none' } as LossConfig);
    const result = this.unreducedLoss.compute(outputs, batch.targets, batch.size);
    const values = result.values as Float64Array;
    const perRow = values.length / batch.size;
    const outputsPerRow = outputs.length / batch.size;
    const weights = batch.weights;
    let weightSum = 0;
    let weighted = 0;
    for (let r = 0; r < batch.size; r++) {
      weightSum += weights[r];
      for (let j = 0; j < perRow; j++) weighted += weights[r] * values[r * perRow + j];
    }
    const mean = this.loss.reduction === 'mean';
    // An all-zero-weight batch contributes nothing (rather than 0/0).
    const normalizer = mean ? (weightSum > 0 ? perRow * weightSum : Number.POSITIVE_INFINITY) : 1;
    if (this.weightedGrad === null || this.weightedGrad.length < outputs.length) this.weightedGrad = allocate(this.model.dtype, outputs.length);
    const grad = this.weightedGrad.subarray(0, outputs.length);
    for (let r = 0; r < batch.size; r++) {
      const scale = weights[r] / normalizer;
      for (let j = 0; j < outputsPerRow; j++) grad[r * outputsPerRow + j] = result.grad[r * outputsPerRow + j] * scale;
    }
    return { value: mean ? (weightSum > 0 ? weighted / normalizer : 0) : weighted, grad, values };
  }

  private addPenaltyGradients(grads: ParamMap): number {
    const { l1, l1Mode, l2, excludeBiases } = this.regularization;
    const params = this.model.params;
    let penalty = 0;
    if (l2 > 0) {
      penalty += l2Penalty(params, l2, { excludeBiases });
      addL2Gradient(params, grads, l2, { excludeBiases });
    }
    if (l1 > 0) {
      penalty += l1Penalty(params, l1, { excludeBiases });
      if (l1Mode === 'subgradient') addL1Subgradient(params, grads, l1, { excludeBiases });
    }
    return penalty;
  }

  /**
   * A frozen gradient map's tensors as a list, made once (the model's maps are frozen, so their tensors
   * never change): the norm and the clipping then skip a for-in and a lookup by name per tensor, which
   * cost more than the norm itself at logistic-regression sizes. Any other map is passed on as it is.
   */
  private tensorsOf(grads: ParamMap): ParamMap | readonly Tensor[] {
    if (grads === this.listedGrads) return this.gradList;
    if (!Object.isFrozen(grads)) return grads;
    this.listedGrads = grads;
    this.gradList = Object.values(grads);
    return this.gradList;
  }

  private rememberParameters(): void {
    const params = this.model.params;
    if (this.previous === null) {
      this.previous = {};
      for (const name in params) this.previous[name] = allocate(this.model.dtype, params[name].length);
    }
    for (const name in params) this.previous[name].set(params[name]);
  }

  private updateRatio(): number {
    const params = this.model.params;
    const previous = this.previous as ParamMap;
    let delta = 0;
    let norm = 0;
    for (const name in params) {
      const p = params[name];
      const q = previous[name];
      for (let i = 0; i < p.length; i++) {
        const d = p[i] - q[i];
        delta += d * d;
        norm += q[i] * q[i];
      }
    }
    return norm > 0 ? Math.sqrt(delta / norm) : Number.NaN;
  }
}

/** A loss's values when they are one per row (not per output element), else null. */
function oneValuePerRow(values: Float64Array | undefined, rows: number): Float64Array | null {
  return values !== undefined && values.length === rows ? values : null;
}

export interface TrainerState {
  applied: number;
  lastLoss: number;
  runningLoss: ReturnType<Ema['getState']>;
  quality: ReturnType<PrequentialQuality['getState']>;
}
