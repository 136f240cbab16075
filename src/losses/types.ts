import type { Tensor } from '../math/tensor.js';

export type Reduction = 'mean' | 'sum' | 'none';

/**
 * Targets of one minibatch:
 * - class indices, one per row (`Int32Array` or `number[]` of length batchSize), for classification losses;
 * - a dense row-major `Tensor` / `number[]` of length batchSize * outputs, for regression and probability targets.
 * "The length tells which": a classification loss given `batchSize * outputs` values treats them as
 * probabilities / one-hot rows.
 */
export type Targets = Int32Array | Float32Array | Float64Array | readonly number[];

/**
 * The result object and its arrays are owned by the loss and overwritten by its next `compute` call
 * (no allocation in the hot path once the batch shape is stable): copy what must outlive the step.
 */
export interface LossResult {
  /**
   * The reduced loss for `mean` / `sum`. For `none`, the sum of the per-element values (so that
   * `value` is always a scalar to log), with the per-element values in `values`.
   */
  readonly value: number;
  /**
   * Per-element (or per-row, for losses that reduce over classes) unreduced losses; always present for
   * `none`. The losses in src/losses fill it for every reduction.
   */
  readonly values?: Float64Array;
  /**
   * d(value)/d(scores), same dtype and length as `scores`. For `none` it is the gradient of the sum of
   * `values` (an upstream gradient of ones), as `loss.backward(torch.ones_like(loss))` gives.
   * Owned by the loss object and overwritten by the next `compute` call (no allocation in the hot path).
   */
  readonly grad: Tensor;
}

export interface Loss {
  readonly type: LossType;
  readonly reduction: Reduction;
  /**
   * True when, for a hard target (a class index, or a binary target of exactly 0 or 1), a row's entry in
   * `values` is -log p(target) under the distribution the scores define: the prequential log-loss, which
   * the trainer then takes from here instead of computing it again (training/quality.ts). False or absent
   * when weights, smoothing or margins make the value something else.
   */
  readonly valuesAreTargetNll?: boolean;
  /** `scores` is row-major [batchSize x outputs]; outputs = scores.length / batchSize. */
  compute(scores: Tensor, targets: Targets, batchSize: number): LossResult;
}

export type LossType =
  | 'mse'
  | 'bce'
  | 'bce_with_logits'
  | 'cross_entropy'
  | 'softmax_cross_entropy'
  | 'focal'
  | 'multiclass_hinge';

/** What the model's last layer must emit for this loss (the trainer configures the model from it). */
export type LossInput = 'values' | 'logits' | 'probabilities' | 'scores';

/** The task a loss trains for: with `probabilities`, binary means sigmoid outputs and multiclass softmax rows. */
export type LossTask = 'regression' | 'binary' | 'multiclass';

export type LossConfig =
  | { type: 'mse'; reduction?: Reduction }
  | { type: 'bce'; reduction?: Reduction }
  | { type: 'bce_with_logits'; reduction?: Reduction; posWeight?: number }
  | { type: 'cross_entropy'; reduction?: Reduction }
  | {
      type: 'softmax_cross_entropy';
      reduction?: Reduction;
      classWeights?: readonly number[];
      labelSmoothing?: number;
    }
  | { type: 'focal'; reduction?: Reduction; gamma?: number; alpha?: number }
  | { type: 'multiclass_hinge'; reduction?: Reduction; margin?: number };
