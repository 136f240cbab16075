/**
 * Cross-entropy on probabilities, the chapter's form (the model ends in a softmax):
 *
 *   index target c:      l_i = -log p_ic                       ∂l_i/∂p_ic = -1/p_ic, 0 elsewhere
 *   probability row t:   l_i = -Σ_j t_ij log p_ij              ∂l_i/∂p_ij = -t_ij/p_ij, 0 where t_ij = 0
 *
 * mean divides by the number of rows. This is torch's F.nll_loss(torch.log(p), c) for indices and
 * -torch.special.xlogy(t, p).sum(1) for rows, so a probability of exactly 0 behaves as in torch:
 * on the target (t > 0) the loss is +Infinity and its gradient -Infinity; where it does not contribute
 * (not the target, or t = 0) it adds 0 (0 · log 0 = 0; the literal -(t * log(p)).sum(1) would give NaN).
 * One deviation, for the gradient only: torch's autograd through torch.log returns 0/0 = NaN for those
 * idle zero probabilities; we return the exact partial derivative, 0, so that a softmax output that
 * underflowed to 0 does not poison an otherwise finite batch.
 *
 * Probabilities must lie in [0, 1] (a reminder that logits belong to softmax_cross_entropy), and so must
 * target rows; rows need not sum to 1 (torch does not check either).
 * Sources: nll_loss in https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/LossNLL.cpp
 * and xlogy in https://github.com/pytorch/pytorch/blob/main/torch/_refs/__init__.py
 */
import type { Tensor } from '../math/tensor.js';
import { ReusedResult } from './result.js';
import type { Loss, LossResult, Reduction, Targets } from './types.js';
import {
  checkProbabilityInput,
  checkReduction,
  checkUnitTarget,
  classTargetLayout,
  outputsPerRow,
} from './validation.js';

const INPUT_HINT = 'use softmax_cross_entropy for logits';

export interface CrossEntropyOptions {
  reduction?: Reduction;
}

export class CrossEntropyLoss implements Loss {
  readonly type = 'cross_entropy' as const;
  readonly reduction: Reduction;
  readonly valuesAreTargetNll = true;
  private readonly result = new ReusedResult();

  constructor({ reduction = 'mean' }: CrossEntropyOptions = {}) {
    this.reduction = checkReduction(this.type, reduction);
  }

  compute(scores: Tensor, targets: Targets, batchSize: number): LossResult {
    const classes = outputsPerRow(this.type, scores, batchSize);
    const layout = classTargetLayout(this.type, targets, batchSize, classes);
    const { values, grad } = this.result.prepare(scores, batchSize);
    // torch scales the upstream gradient first, then divides by p (log's backward).
    const upstream = this.reduction === 'mean' ? -1 / batchSize : -1;
    let sum = 0;
    for (let i = 0; i < batchSize; i++) {
      const o = i * classes;
      if (layout === 'index') {
        const c = targets[i];
        for (let j = 0; j < classes; j++) {
          checkProbabilityInput(this.type, scores, o + j, INPUT_HINT);
          grad[o + j] = 0;
        }
        const p = scores[o + c];
        values[i] = -Math.log(p);
        grad[o + c] = upstream / p;
      } else {
        let l = 0;
        for (let j = 0; j < classes; j++) {
          checkProbabilityInput(this.type, scores, o + j, INPUT_HINT);
          checkUnitTarget(this.type, targets, o + j);
          const t = targets[o + j];
          const p = scores[o + j];
          if (t > 0) {
            l -= t * Math.log(p);
            grad[o + j] = (upstream * t) / p;
          } else {
            grad[o + j] = 0;
          }
        }
        values[i] = l;
      }
      sum += values[i];
    }
    this.result.value = this.reduction === 'mean' ? sum / batchSize : sum;
    return this.result;
  }
}
