/**
 * Binary focal loss on logits, torchvision.ops.sigmoid_focal_loss (Lin et al. 2017,
 * https://arxiv.org/abs/1708.02002):
 *
 *   p = σ(x),  ce = bce_with_logits(x, y),  p_t = p·y + (1 - p)(1 - y)
 *   l = α_t · ce · (1 - p_t)^γ,   α_t = α·y + (1 - α)(1 - y) when α >= 0, else 1 (α = -1: no weighting)
 *
 * With α = -1 this is the chapter's -(1 - y_t)^γ log y_t; γ = 0, α = -1 is bce_with_logits.
 * The gradient is what torch's autograd computes through those lines:
 *
 *   ∂l/∂x = α_t · [ (p - y)(1 - p_t)^γ - ce · γ (1 - p_t)^(γ-1) · (2y - 1) · p(1 - p) ]
 *
 * Defaults: γ = 2 and α = 0.25 like torchvision; reduction `mean` like the other losses here
 * (torchvision's default is `none`). Mean divides by n = batchSize · outputs.
 *
 * Numerics, on purpose as torchvision: 1 - p_t is computed from p, not as σ(-x), so for |x| >~ 20 it
 * carries p's rounding error exactly as torch does (values match torch, not the exact real number).
 * Where 1 - p_t = 0 (p rounds to exactly y in {0, 1}) the factor γ(1 - p_t)^(γ-1) meets p(1 - p) = 0:
 * torch returns NaN there for 0 < γ < 1 (Infinity · 0); we return the limit, 0. γ = 0 takes torch's
 * rule for pow's gradient at exponent 0 (zero). Targets must lie in [0, 1]; soft targets are allowed.
 * Source: https://github.com/pytorch/vision/blob/main/torchvision/ops/focal_loss.py
 */
import type { Tensor } from '../math/tensor.js';
import { expNegAbs, logSigmoidFrom, sigmoidFrom } from './logistic.js';
import { ReusedResult } from './result.js';
import type { Loss, LossResult, Reduction, Targets } from './types.js';
import {
  checkDenseTargets,
  checkNumber,
  checkReduction,
  checkUnitTarget,
  invalidOption,
  outputsPerRow,
} from './validation.js';

export interface FocalOptions {
  reduction?: Reduction;
  /** Focusing exponent γ >= 0. */
  gamma?: number;
  /** Weight of the positive class in [0, 1], or -1 for none. */
  alpha?: number;
}

export class FocalLoss implements Loss {
  readonly type = 'focal' as const;
  readonly reduction: Reduction;
  readonly gamma: number;
  readonly alpha: number;
  private readonly result = new ReusedResult();

  constructor({ reduction = 'mean', gamma = 2, alpha = 0.25 }: FocalOptions = {}) {
    this.reduction = checkReduction(this.type, reduction);
    this.gamma = checkNumber(`${this.type}.gamma`, gamma, 0);
    if (alpha !== -1 && !(typeof alpha === 'number' && alpha >= 0 && alpha <= 1)) {
      invalidOption(`${this.type}.alpha`, alpha, 'must be in [0, 1], or -1 for no class weighting');
    }
    this.alpha = alpha;
  }

  compute(scores: Tensor, targets: Targets, batchSize: number): LossResult {
    outputsPerRow(this.type, scores, batchSize);
    checkDenseTargets(this.type, targets, scores, batchSize);
    const n = scores.length;
    const { values, grad } = this.result.prepare(scores, n);
    const norm = this.reduction === 'mean' ? n : 1;
    const { gamma, alpha } = this;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      checkUnitTarget(this.type, targets, i);
      const x = scores[i];
      const y = targets[i];
      const e = expNegAbs(x);
      const p = sigmoidFrom(x, e);
      const ce = (1 - y) * x - logSigmoidFrom(x, e);
      // Order matters: p_t and q as torchvision writes them, so that q rounds as torch's does.
      const pt = p * y + (1 - p) * (1 - y);
      const q = 1 - pt;
      const modulator = q ** gamma;
      const alphaT = alpha >= 0 ? alpha * y + (1 - alpha) * (1 - y) : 1;
      values[i] = alphaT * (ce * modulator);
      sum += values[i];
      const upstream = alphaT / norm;
      const dq = gamma === 0 || q === 0 ? 0 : upstream * ce * gamma * q ** (gamma - 1);
      // ∂p_t/∂p = y - (1 - y); ∂q/∂p_t = -1.
      const dp = -dq * y + dq * (1 - y);
      grad[i] = upstream * modulator * (p - y) + dp * ((1 - p) * p);
    }
    this.result.value = this.reduction === 'mean' ? sum / n : sum;
    return this.result;
  }
}
