/**
 * RMSprop as torch.optim.RMSprop (single-tensor path,
 * https://github.com/pytorch/pytorch/blob/main/torch/optim/rmsprop.py); Hinton, Coursera lecture 6e
 * (2012); centered form from Graves 2013, "Generating Sequences With Recurrent Neural Networks".
 *
 *   g = g + weightDecay * p
 *   sq = alpha * sq + (1 - alpha) * g * g
 *   centered:  ga = lerp(ga, g, 1 - alpha);  avg = sqrt(sq - ga * ga) + eps
 *   otherwise: avg = sqrt(sq) + eps
 *   momentum > 0:  buf = momentum * buf + g / avg;  p = p - lr * buf
 *   otherwise:     p = p - lr * g / avg
 *
 * eps is added after the square root (torch; the textbook puts it inside, identical when eps = 0).
 * Slots: `<param>/square_avg`, plus `<param>/momentum_buffer` when momentum > 0 and `<param>/grad_avg`
 * when centered, as torch creates them.
 */
import type { Tensor } from '../math/tensor.js';
import { lerpFromStart } from './lerp.js';
import { OptimizerBase, type SlotSpec } from './optimizer-base.js';
import type { OptimizerConfig } from './types.js';
import { boolean, knownKeys, nonNegative, unitInterval } from './validate.js';

export type RmspropConfig = Extract<OptimizerConfig, { type: 'rmsprop' }>;

export class Rmsprop extends OptimizerBase {
  readonly type = 'rmsprop' as const;
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly centered: boolean;
  /** Positions in the slot list (-1: not kept), fixed by the options. */
  private readonly momentumSlot: number;
  private readonly gradAvgSlot: number;

  constructor(config: RmspropConfig) {
    knownKeys('rmsprop', config, ['type', 'lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered']);
    const momentum = nonNegative('rmsprop.momentum', config.momentum ?? 0);
    const centered = boolean('rmsprop.centered', config.centered ?? false);
    const slots: SlotSpec[] = [{ name: 'square_avg', initialValue: 0 }];
    if (momentum > 0) slots.push({ name: 'momentum_buffer', initialValue: 0 });
    if (centered) slots.push({ name: 'grad_avg', initialValue: 0 });
    super({ lr: config.lr ?? 1e-2, lrField: 'rmsprop.lr', slots });
    this.momentum = momentum;
    this.centered = centered;
    this.momentumSlot = slots.findIndex((slot) => slot.name === 'momentum_buffer');
    this.gradAvgSlot = slots.findIndex((slot) => slot.name === 'grad_avg');
    // torch only asks alpha >= 0; above 1 the average's weights turn negative and sqrt goes NaN.
    this.alpha = unitInterval('rmsprop.alpha', config.alpha ?? 0.99);
    this.eps = nonNegative('rmsprop.eps', config.eps ?? 1e-8);
    this.weightDecay = nonNegative('rmsprop.weightDecay', config.weightDecay ?? 0);
  }

  protected updateTensor(p: Tensor, g: Tensor, slots: Tensor[], _fresh: boolean, lr: number): void {
    const squareAvg = slots[0];
    const buf = slots[this.momentumSlot];
    const gradAvg = slots[this.gradAvgSlot];
    const hasMomentum = this.momentum > 0;
    const { alpha, eps, weightDecay: wd, momentum, centered } = this;
    const oneMinusAlpha = 1 - alpha;
    const fromStart = lerpFromStart(oneMinusAlpha);
    const complement = 1 - oneMinusAlpha;
    // torch steps with the stored (in float32, rounded) slots: Math.fround gives those values without a reload.
    const float32 = squareAvg instanceof Float32Array;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const param = p[i];
      const d = g[i] + wd * param;
      let square = squareAvg[i] * alpha + oneMinusAlpha * d * d;
      if (float32) square = Math.fround(square);
      squareAvg[i] = square;
      let variance = square;
      if (centered) {
        const previous = gradAvg[i];
        let mean = fromStart ? previous + oneMinusAlpha * (d - previous) : d - (d - previous) * complement;
        if (float32) mean = Math.fround(mean);
        gradAvg[i] = mean;
        // sq >= ga^2 holds exactly (Jensen) but rounding can leave it a hair below 0, where torch's sqrt
        // gives NaN and poisons the parameter; clamping only changes results torch would make NaN.
        variance = Math.max(variance - mean * mean, 0);
      }
      const avg = Math.sqrt(variance) + eps;
      if (hasMomentum) {
        let b = buf[i] * momentum + d / avg;
        if (float32) b = Math.fround(b);
        buf[i] = b;
        p[i] = param - lr * b;
      } else {
        p[i] = param - lr * (d / avg);
      }
    }
  }

  protected fillEffectiveLr(out: Tensor, slots: Tensor[], lr: number): void {
    const squareAvg = slots[0];
    const gradAvg = slots[this.gradAvgSlot];
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const variance = this.centered ? Math.max(squareAvg[i] - gradAvg[i] * gradAvg[i], 0) : squareAvg[i];
      out[i] = lr / (Math.sqrt(variance) + this.eps);
    }
  }
}
