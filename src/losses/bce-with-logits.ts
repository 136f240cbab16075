/**
 * Binary cross-entropy on logits, torch.nn.functional.binary_cross_entropy_with_logits, in torch's
 * stable form (equal to max(x, 0) - x·y + log(1 + e^-|x|) when posWeight is absent):
 *
 *   w_i = 1 + (posWeight - 1) · y_i                      (1 without posWeight)
 *   l_i = (1 - y_i) · x_i - w_i · logSigmoid(x_i)
 *   ∂/∂x_i = (posWeight·y_i + 1 - y_i) · σ(x_i) - posWeight·y_i    (σ(x_i) - y_i without posWeight)
 *
 * divided by n = batchSize · outputs for mean. posWeight scales the positive term like torch's
 * pos_weight (one number for every output here). Exact at x = ±1e4: logSigmoid never overflows and
 * σ(±1e4) is exactly 1 or 0. Targets must lie in [0, 1] (torch does not check; a label of 2 is a data error).
 * Sources: binary_cross_entropy_with_logits in
 *   https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/Loss.cpp
 * and binary_cross_entropy_with_logits_backward in
 *   https://github.com/pytorch/pytorch/blob/main/torch/csrc/autograd/FunctionsManual.cpp
 */
import type { Tensor } from '../math/tensor.js';
import { expNegAbs, logSigmoidFrom, sigmoidFrom } from './logistic.js';
import { ReusedResult } from './result.js';
import type { Loss, LossResult, Reduction, Targets } from './types.js';
import { checkDenseTargets, checkNumber, checkReduction, checkUnitTarget, outputsPerRow } from './validation.js';

export interface BceWithLogitsOptions {
  reduction?: Reduction;
  /** Weight of the positive term (torch pos_weight); absent means 1. */
  posWeight?: number;
}

export class BceWithLogitsLoss implements Loss {
  readonly type = 'bce_with_logits' as const;
  readonly reduction: Reduction;
  readonly posWeight: number | undefined;
  readonly valuesAreTargetNll: boolean;
  private readonly result = new ReusedResult();

  constructor({ reduction = 'mean', posWeight }: BceWithLogitsOptions = {}) {
    this.reduction = checkReduction(this.type, reduction);
    this.posWeight = posWeight === undefined ? undefined : checkNumber(`${this.type}.posWeight`, posWeight, 0);
    this.valuesAreTargetNll = this.posWeight === undefined;
  }

  compute(scores: Tensor, targets: Targets, batchSize: number): LossResult {
    outputsPerRow(this.type, scores, batchSize);
    checkDenseTargets(this.type, targets, scores, batchSize);
    const n = scores.length;
    const { values, grad } = this.result.prepare(scores, n);
    const norm = this.reduction === 'mean' ? n : 1;
    const pw = this.posWeight;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      checkUnitTarget(this.type, targets, i);
      const x = scores[i];
      const y = targets[i];
      // One exponential for the value and the gradient (logistic.ts).
      const e = expNegAbs(x);
      if (pw === undefined) {
        values[i] = (1 - y) * x - logSigmoidFrom(x, e);
        grad[i] = (sigmoidFrom(x, e) - y) / norm;
      } else {
        values[i] = (1 - y) * x - ((pw - 1) * y + 1) * logSigmoidFrom(x, e);
        const t = pw * y;
        grad[i] = ((t + 1 - y) * sigmoidFrom(x, e) - t) / norm;
      }
      sum += values[i];
    }
    this.result.value = this.reduction === 'mean' ? sum / n : sum;
    return this.result;
  }
}
