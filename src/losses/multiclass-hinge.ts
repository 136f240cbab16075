/**
 * Multiclass hinge loss (Weston-Watkins / the chapter's multiclass SVM), on raw scores s:
 *
 *   l_i = Σ_{j ≠ c} max(0, s_ij - s_ic + margin)              c = the target class of row i
 *   ∂l_i/∂s_ij = 1 for each j ≠ c with s_ij - s_ic + margin > 0;  ∂l_i/∂s_ic = -(number of those j)
 *
 * mean divides by the number of rows N. This is C (the number of classes) times
 * torch.nn.functional.multi_margin_loss(s, c, p=1, margin), which divides each row's sum by C. At a kink
 * (a term exactly 0) the term is inactive and has no gradient, as in torch (z > 0, strictly).
 * Targets are class indices or one-hot rows.
 * Source: multi_margin_loss_cpu_kernel and its backward in
 *   https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/LossMultiMargin.cpp
 */
import type { Tensor } from '../math/tensor.js';
import { ReusedResult } from './result.js';
import type { Loss, LossResult, Reduction, Targets } from './types.js';
import { checkNumber, checkReduction, classTargetLayout, LossInputError, outputsPerRow } from './validation.js';

export interface MulticlassHingeOptions {
  reduction?: Reduction;
  /** Required gap between the target's score and every other score. */
  margin?: number;
}

export class MulticlassHingeLoss implements Loss {
  readonly type = 'multiclass_hinge' as const;
  readonly reduction: Reduction;
  readonly margin: number;
  private readonly result = new ReusedResult();

  constructor({ reduction = 'mean', margin = 1 }: MulticlassHingeOptions = {}) {
    this.reduction = checkReduction(this.type, reduction);
    this.margin = checkNumber(`${this.type}.margin`, margin, 0);
  }

  compute(scores: Tensor, targets: Targets, batchSize: number): LossResult {
    const classes = outputsPerRow(this.type, scores, batchSize);
    const layout = classTargetLayout(this.type, targets, batchSize, classes);
    const { values, grad } = this.result.prepare(scores, batchSize);
    const norm = this.reduction === 'mean' ? batchSize : 1;
    const margin = this.margin;
    let sum = 0;
    for (let i = 0; i < batchSize; i++) {
      const o = i * classes;
      const c = layout === 'index' ? targets[i] : this.oneHotClass(targets, o, classes);
      const sc = scores[o + c];
      let l = 0;
      let targetGrad = 0;
      for (let j = 0; j < classes; j++) {
        // Order matters: margin - s_c + s_j, as torch, so that kinks fall on the same side.
        const z = margin - sc + scores[o + j];
        if (j !== c && z > 0) {
          l += z;
          targetGrad -= 1 / norm;
          grad[o + j] = 1 / norm;
        } else {
          grad[o + j] = 0;
        }
      }
      grad[o + c] = targetGrad;
      values[i] = l;
      sum += l;
    }
    this.result.value = this.reduction === 'mean' ? sum / batchSize : sum;
    return this.result;
  }

  /** The class of a one-hot row; anything else (soft or several ones) is an error for a hinge loss. */
  private oneHotClass(targets: Targets, offset: number, classes: number): number {
    let hot = -1;
    for (let j = 0; j < classes; j++) {
      const t = targets[offset + j];
      if (t === 1 && hot === -1) hot = j;
      else if (t !== 0) hot = -2;
    }
    if (hot < 0) {
      throw new LossInputError(
        `${this.type}: target row ${offset / classes} is not one-hot (one 1, zeros elsewhere); ` +
          'the hinge loss needs a single target class per row',
      );
    }
    return hot;
  }
}
