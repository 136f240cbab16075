/**
 * Softmax cross-entropy on logits, torch.nn.functional.cross_entropy(z, target, weight, label_smoothing):
 *
 *   log p_ic = z_ic - m_i - log Σ_j exp(z_ij - m_i),   m_i = max_j z_ij          (log-sum-exp)
 *
 *   index targets y_i, class weights w (all 1 if absent), smoothing ε, C classes:
 *     l_i = (1 - ε) · (-w[y_i] log p_{i,y_i}) + (ε/C) · (-Σ_c w_c log p_ic)
 *     mean = Σ_i l_i / Σ_i w[y_i]   (N without weights; both terms share this normaliser, as in torch)
 *   probability targets t_i (smoothed to t(1 - ε) + ε/C when ε > 0):
 *     l_i = -Σ_c w_c t_ic log p_ic,   mean = Σ_i l_i / N   (N even with weights, as in torch)
 *
 *   gradient: with a_ic the coefficient of -log p_ic in l_i, ∂l_i/∂z_ik = p_ik Σ_c a_ic - a_ik,
 *   divided by the mean's normaliser; p_ik = exp(z_ik - m_i) / Σ_j exp(z_ij - m_i), from the
 *   exponentials the log-sum-exp took.
 *
 * Exact at logits of ±1e4: the log-sum-exp never exponentiates a positive number. If every target of a
 * batch has class weight 0, the mean is 0/0 = NaN, as in torch.
 * Sources: cross_entropy_loss_label_smoothing and cross_entropy_loss_prob_target in
 *   https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/LossNLL.cpp
 * and log_softmax with its backward in https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/SoftMax.cpp
 */
import { ShapeError } from '../errors.js';
import type { Tensor } from '../math/tensor.js';
import { ReusedResult } from './result.js';
import type { Loss, LossResult, Reduction, Targets } from './types.js';
import {
  checkNumber,
  checkReduction,
  checkUnitTarget,
  classTargetLayout,
  invalidOption,
  outputsPerRow,
} from './validation.js';

export interface SoftmaxCrossEntropyOptions {
  reduction?: Reduction;
  /** One weight >= 0 per class (torch `weight`). */
  classWeights?: readonly number[];
  /** ε in [0, 1]: the target mixes (1 - ε) of itself with ε spread uniformly over the classes. */
  labelSmoothing?: number;
}

export class SoftmaxCrossEntropyLoss implements Loss {
  readonly type = 'softmax_cross_entropy' as const;
  readonly reduction: Reduction;
  readonly classWeights: Float64Array | undefined;
  readonly labelSmoothing: number;
  /** Σ_c w_c, the smoothing term's share of each row's coefficients. */
  private readonly weightSum: number = 0;
  readonly valuesAreTargetNll: boolean;
  private readonly result = new ReusedResult();
  /** exp(z_c - max) of the row in hand, grown to the widest row seen. */
  private exps = new Float64Array(8);

  constructor({ reduction = 'mean', classWeights, labelSmoothing = 0 }: SoftmaxCrossEntropyOptions = {}) {
    this.reduction = checkReduction(this.type, reduction);
    this.labelSmoothing = checkNumber(`${this.type}.labelSmoothing`, labelSmoothing, 0, 1);
    if (classWeights !== undefined) {
      if (!Array.isArray(classWeights) || classWeights.length === 0) {
        invalidOption(`${this.type}.classWeights`, classWeights, 'must be a non-empty array, one weight per class');
      }
      const weights = new Float64Array(classWeights.length);
      let weightSum = 0;
      for (let c = 0; c < classWeights.length; c++) {
        weights[c] = checkNumber(`${this.type}.classWeights[${c}]`, classWeights[c], 0);
        weightSum += weights[c];
      }
      this.classWeights = weights;
      this.weightSum = weightSum;
    }
    this.valuesAreTargetNll = this.classWeights === undefined && this.labelSmoothing === 0;
  }

  compute(scores: Tensor, targets: Targets, batchSize: number): LossResult {
    const classes = outputsPerRow(this.type, scores, batchSize);
    const w = this.classWeights;
    if (w !== undefined && w.length !== classes) {
      throw new ShapeError(`${this.type}: classWeights has ${w.length} entries but the scores have ${classes} classes`);
    }
    const layout = classTargetLayout(this.type, targets, batchSize, classes);
    const { values, grad } = this.result.prepare(scores, batchSize);
    if (layout === 'index' && w === undefined && this.labelSmoothing === 0) {
      this.result.value = this.plainIndexRows(scores, targets, batchSize, classes, values, grad);
      return this.result;
    }
    const eps = this.labelSmoothing;
    const spread = eps / classes;
    let divisor = 1;
    if (this.reduction === 'mean') divisor = layout === 'index' ? this.indexNormaliser(targets, batchSize) : batchSize;

    let nllSum = 0;
    let smoothSum = 0;
    let total = 0;
    for (let i = 0; i < batchSize; i++) {
      const o = i * classes;
      const max = rowMax(scores, o, classes);
      // Order matters: log p = (z - max) - lse, as torch's log_softmax, exact for logits far apart.
      const sumExp = this.shiftedExps(scores, o, classes, max);
      const lse = Math.log(sumExp);
      const exps = this.exps;

      if (layout === 'index') {
        const y = targets[i];
        const wy = w === undefined ? 1 : w[y];
        const nll = -wy * (scores[o + y] - max - lse);
        let smooth = 0;
        if (eps > 0) {
          for (let c = 0; c < classes; c++) smooth -= (w === undefined ? 1 : w[c]) * (scores[o + c] - max - lse);
        }
        values[i] = (1 - eps) * nll + smooth * spread;
        nllSum += nll;
        smoothSum += smooth;
        // a_c, the coefficient of -log p_c in l_i, is spread·w_c plus (1 - ε)·w_y on the target.
        const coefSum = (1 - eps) * wy + spread * (w === undefined ? classes : this.weightSum);
        for (let c = 0; c < classes; c++) {
          const a = spread * (w === undefined ? 1 : w[c]) + (c === y ? (1 - eps) * wy : 0);
          grad[o + c] = ((exps[c] / sumExp) * coefSum - a) / divisor;
        }
      } else {
        let l = 0;
        let coefSum = 0;
        for (let c = 0; c < classes; c++) {
          checkUnitTarget(this.type, targets, o + c);
          const a = this.probabilityCoefficient(targets[o + c], c, spread);
          l -= a * (scores[o + c] - max - lse);
          coefSum += a;
        }
        values[i] = l;
        total += l;
        for (let c = 0; c < classes; c++) {
          const a = this.probabilityCoefficient(targets[o + c], c, spread);
          grad[o + c] = ((exps[c] / sumExp) * coefSum - a) / divisor;
        }
      }
    }

    if (this.reduction === 'none') {
      let s = 0;
      for (let i = 0; i < batchSize; i++) s += values[i];
      this.result.value = s;
    } else if (layout === 'index') {
      // torch's combination: (1 - ε)·nll_loss + smooth_loss.sum()/normaliser · ε/C.
      this.result.value = (1 - eps) * (nllSum / divisor) + (smoothSum / divisor) * spread;
    } else {
      this.result.value = total / divisor;
    }
    return this.result;
  }

  /**
   * The general loop above with ε = 0 and no class weights, where a_c is 1 on the target and 0 elsewhere
   * and Σ_c a_c = 1: the same operations in the same order (so the same bits), without the per-element
   * branches on weights and smoothing that cost more than the exponentials at a few classes. Returns the
   * reduced value; `values` and `grad` are filled.
   */
  private plainIndexRows(scores: Tensor, targets: Targets, batchSize: number, classes: number, values: Float64Array, grad: Tensor): number {
    const divisor = this.reduction === 'mean' ? batchSize : 1;
    let nllSum = 0;
    for (let i = 0; i < batchSize; i++) {
      const o = i * classes;
      const max = rowMax(scores, o, classes);
      const sumExp = this.shiftedExps(scores, o, classes, max);
      const lse = Math.log(sumExp);
      const exps = this.exps;
      const y = targets[i];
      const nll = -1 * (scores[o + y] - max - lse);
      // (1 - ε)·nll + smooth·ε/C with ε = 0: adding +0 keeps its turning -0 into +0.
      values[i] = 1 * nll + 0;
      nllSum += nll;
      for (let c = 0; c < classes; c++) grad[o + c] = ((exps[c] / sumExp) * 1 - (c === y ? 1 : 0)) / divisor;
    }
    if (this.reduction === 'none') {
      let s = 0;
      for (let i = 0; i < batchSize; i++) s += values[i];
      return s;
    }
    return 1 * (nllSum / divisor) + (0 / divisor) * 0;
  }

  /**
   * exp(z_c - max) of the row at `offset` into `exps` (never exponentiating a positive number); returns
   * their sum. The gradient's p_c is exps[c] / sum: the same exponentials the log-sum-exp took, instead
   * of exp(z_c - max - lse) again (one exponential per class instead of two; the two forms of p_c differ
   * by a rounding, within the torch parity tolerances).
   */
  private shiftedExps(scores: Tensor, offset: number, classes: number, max: number): number {
    if (this.exps.length < classes) this.exps = new Float64Array(classes);
    const exps = this.exps;
    let sumExp = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(scores[offset + c] - max);
      exps[c] = e;
      sumExp += e;
    }
    return sumExp;
  }

  /** Σ_i w[y_i] (N without weights): torch's nll_loss mean normaliser. */
  private indexNormaliser(targets: Targets, batchSize: number): number {
    const w = this.classWeights;
    if (w === undefined) return batchSize;
    let norm = 0;
    for (let i = 0; i < batchSize; i++) norm += w[targets[i]];
    return norm;
  }

  /** w_c · t_c after smoothing (t(1 - ε) + ε/C, as torch smooths probability targets). */
  private probabilityCoefficient(t: number, c: number, spread: number): number {
    const smoothed = this.labelSmoothing > 0 ? t * (1 - this.labelSmoothing) + spread : t;
    return this.classWeights === undefined ? smoothed : smoothed * this.classWeights[c];
  }
}

/** max_c z_c of the row at `offset`. */
function rowMax(scores: Tensor, offset: number, classes: number): number {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) if (scores[offset + c] > max) max = scores[offset + c];
  return max;
}
