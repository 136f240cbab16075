/**
 * Mean squared error, torch.nn.functional.mse_loss:
 *
 *   l_i = (x_i - y_i)^2                 mean: Σ l_i / n,  sum: Σ l_i,  none: l_i   (n = batchSize · outputs)
 *   ∂/∂x_i = 2 (x_i - y_i) / n          (mean; 2 (x_i - y_i) for sum and none)
 *
 * The mean runs over every element, not over rows, as in torch. The chapter's regression example uses
 * `sum`. Source: mse_loss_backward_out (norm = 2 / numel for mean) in
 *   https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/Loss.cpp
 */
import type { Tensor } from '../math/tensor.js';
import { ReusedResult } from './result.js';
import type { Loss, LossResult, Reduction, Targets } from './types.js';
import { checkDenseTargets, checkReduction, outputsPerRow } from './validation.js';

export interface MseOptions {
  reduction?: Reduction;
}

export class MseLoss implements Loss {
  readonly type = 'mse' as const;
  readonly reduction: Reduction;
  private readonly result = new ReusedResult();

  constructor({ reduction = 'mean' }: MseOptions = {}) {
    this.reduction = checkReduction(this.type, reduction);
  }

  compute(scores: Tensor, targets: Targets, batchSize: number): LossResult {
    outputsPerRow(this.type, scores, batchSize);
    checkDenseTargets(this.type, targets, scores, batchSize);
    const n = scores.length;
    const { values, grad } = this.result.prepare(scores, n);
    const norm = this.reduction === 'mean' ? 2 / n : 2;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = scores[i] - targets[i];
      values[i] = d * d;
      sum += values[i];
      grad[i] = norm * d;
    }
    this.result.value = this.reduction === 'mean' ? sum / n : sum;
    return this.result;
  }
}
