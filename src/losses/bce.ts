/**
 * Binary cross-entropy on probabilities, torch.nn.functional.binary_cross_entropy:
 *
 *   l_i = (y_i - 1) · max(log1p(-x_i), -100) - y_i · max(log x_i, -100)
 *   ∂/∂x_i = (x_i - y_i) / max((1 - x_i) · x_i, ε)      ε = float32(1e-12); divided by n for mean
 *
 * The log clamp keeps x = 0 and x = 1 finite (a confident mistake costs 100), and the gradient is
 * torch's, not the derivative of the clamped forward: at x = 0, y = 1 it is -1/ε ≈ -1e12. torch's ε is
 * the float literal 1e-12f (9.999999960041972e-13), which the float64 fixtures show. Inputs and targets
 * must lie in [0, 1] (torch raises too); the model's last layer should be a sigmoid.
 * Source: binary_cross_entropy_out_cpu and binary_cross_entropy_backward_out_cpu in
 *   https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/Loss.cpp
 */
import type { Tensor } from '../math/tensor.js';
import { ReusedResult } from './result.js';
import type { Loss, LossResult, Reduction, Targets } from './types.js';
import {
  checkDenseTargets,
  checkProbabilityInput,
  checkReduction,
  checkUnitTarget,
  outputsPerRow,
} from './validation.js';

const LOG_FLOOR = -100;
const GRAD_EPS = Math.fround(1e-12);

export interface BceOptions {
  reduction?: Reduction;
}

export class BceLoss implements Loss {
  readonly type = 'bce' as const;
  /** min(-log p, 100) per element: the same once the prequential log-loss clips p at 1e-15. */
  readonly valuesAreTargetNll = true;
  readonly reduction: Reduction;
  private readonly result = new ReusedResult();

  constructor({ reduction = 'mean' }: BceOptions = {}) {
    this.reduction = checkReduction(this.type, reduction);
  }

  compute(scores: Tensor, targets: Targets, batchSize: number): LossResult {
    outputsPerRow(this.type, scores, batchSize);
    checkDenseTargets(this.type, targets, scores, batchSize);
    const n = scores.length;
    const { values, grad } = this.result.prepare(scores, n);
    const norm = this.reduction === 'mean' ? n : 1;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      checkProbabilityInput(this.type, scores, i, 'use bce_with_logits for logits');
      checkUnitTarget(this.type, targets, i);
      const x = scores[i];
      const y = targets[i];
      values[i] = (y - 1) * Math.max(Math.log1p(-x), LOG_FLOOR) - y * Math.max(Math.log(x), LOG_FLOOR);
      sum += values[i];
      grad[i] = (x - y) / Math.max((1 - x) * x, GRAD_EPS) / norm;
    }
    this.result.value = this.reduction === 'mean' ? sum / n : sum;
    return this.result;
  }
}
