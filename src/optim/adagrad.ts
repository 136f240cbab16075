/**
 * AdaGrad as torch.optim.Adagrad (single-tensor path,
 * https://github.com/pytorch/pytorch/blob/main/torch/optim/adagrad.py); Duchi, Hazan & Singer 2011,
 * "Adaptive Subgradient Methods for Online Learning and Stochastic Optimization", JMLR 12.
 *
 *   g = g + weightDecay * p
 *   clr = lr / (1 + (t - 1) * lrDecay)
 *   sum = sum + g * g                    (sum starts at initialAccumulatorValue)
 *   p = p - clr * g / (sqrt(sum) + eps)
 *
 * eps sits outside the square root (torch); the textbook form with eps inside equals
 * initialAccumulatorValue = eps, eps = 0. Slot: `<param>/sum`.
 */
import type { Tensor } from '../math/tensor.js';
import { OptimizerBase } from './optimizer-base.js';
import type { OptimizerConfig } from './types.js';
import { knownKeys, nonNegative } from './validate.js';

export type AdagradConfig = Extract<OptimizerConfig, { type: 'adagrad' }>;

export class Adagrad extends OptimizerBase {
  readonly type = 'adagrad' as const;
  readonly lrDecay: number;
  readonly weightDecay: number;
  readonly initialAccumulatorValue: number;
  readonly eps: number;

  constructor(config: AdagradConfig) {
    knownKeys('adagrad', config, ['type', 'lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps']);
    const initialAccumulatorValue = nonNegative('adagrad.initialAccumulatorValue', config.initialAccumulatorValue ?? 0);
    super({ lr: config.lr ?? 1e-2, lrField: 'adagrad.lr', slots: [{ name: 'sum', initialValue: initialAccumulatorValue }] });
    this.initialAccumulatorValue = initialAccumulatorValue;
    this.lrDecay = nonNegative('adagrad.lrDecay', config.lrDecay ?? 0);
    this.weightDecay = nonNegative('adagrad.weightDecay', config.weightDecay ?? 0);
    this.eps = nonNegative('adagrad.eps', config.eps ?? 1e-10);
  }

  protected updateTensor(p: Tensor, g: Tensor, slots: Tensor[], _fresh: boolean, lr: number, t: number): void {
    const sum = slots[0];
    const clr = lr / (1 + (t - 1) * this.lrDecay);
    const wd = this.weightDecay;
    const eps = this.eps;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const d = g[i] + wd * p[i];
      sum[i] = sum[i] + d * d;
      // Order as torch's addcdiv_: the quotient first, then the scalar.
      p[i] = p[i] - clr * (d / (Math.sqrt(sum[i]) + eps));
    }
  }

  // DESIGN.md §6's lr_t is clr here: the lrDecay is part of the rate the step actually used.
  protected fillEffectiveLr(out: Tensor, slots: Tensor[], lr: number, t: number): void {
    const sum = slots[0];
    const clr = lr / (1 + (t - 1) * this.lrDecay);
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = clr / (Math.sqrt(sum[i]) + this.eps);
  }
}
