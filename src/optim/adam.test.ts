// Hand-derived steps; the full torch comparison is in torch-parity.test.ts.
import { describe, expect, it } from 'vitest';
import { createOptimizer } from './registry.js';
import type { OptimizerConfig } from './types.js';

function run(config: OptimizerConfig, p0: number, grads: number[]): number {
  const opt = createOptimizer(config);
  const p = { w: new Float64Array([p0]) };
  for (const g of grads) opt.step(p, { w: new Float64Array([g]) });
  return p.w[0];
}

describe('Adam / AdamW', () => {
  it('bias correction makes the first step lr * sign(g), whatever the scale of g', () => {
    // m = (1-b1) g, v = (1-b2) g^2; m/bc1 = g, sqrt(v/bc2) = |g|.
    for (const g of [1e-6, -3, 250]) {
      expect(run({ type: 'adam', lr: 0.01, eps: 0 }, 1, [g])).toBeCloseTo(1 - 0.01 * Math.sign(g), 15);
    }
  });

  it('the effective lr is lr / (bc1 * (sqrt(v / bc2) + eps))', () => {
    // t = 1: lr / (bc1 * (sqrt(v / bc2) + eps)) = 0.01 / (0.1 * (2 + 0)) = 0.05.
    const opt = createOptimizer({ type: 'adam', lr: 0.01, eps: 0 });
    opt.step({ w: new Float64Array([1]) }, { w: new Float64Array([2]) });
    expect(opt.effectiveLearningRates().w[0]).toBeCloseTo(0.05, 15);
  });

  it('amsgrad divides by the largest v so far while v itself keeps averaging', () => {
    // b1 = b2 = 0.5, lr 1, eps 0, g = 2 then 0.
    // t1: m 1, v 2, vmax 2, bc 0.5 -> p = -(1/0.5) * 1 / (sqrt(2)/sqrt(0.5)) = -1.
    // t2: m 0.5, v 1, vmax 2, bc 0.75 -> step (0.5/0.75) * sqrt(0.75)/sqrt(2) = sqrt(6)/6
    //     (plain Adam: (0.5/0.75) * sqrt(0.75) = 1/sqrt(3)).
    const base = { lr: 1, betas: [0.5, 0.5] as const, eps: 0 };
    expect(run({ type: 'adam', ...base, amsgrad: true }, 0, [2, 0])).toBeCloseTo(-1 - Math.sqrt(6) / 6, 15);
    expect(run({ type: 'adam', ...base }, 0, [2, 0])).toBeCloseTo(-1 - 1 / Math.sqrt(3), 15);
  });

  it('adam adds weightDecay * p to the gradient (L2); adamw shrinks p by 1 - lr * weightDecay instead', () => {
    // g = 0. Adam: d = 0.5 * 1, first step moves by lr * sign(d) = 0.1 -> 0.9.
    expect(run({ type: 'adam', lr: 0.1, weightDecay: 0.5, eps: 0 }, 1, [0])).toBeCloseTo(0.9, 15);
    // AdamW: p = 1 * (1 - 0.1 * 0.5) = 0.95, then m = 0 moves nothing.
    expect(run({ type: 'adamw', lr: 0.1, weightDecay: 0.5 }, 1, [0])).toBeCloseTo(0.95, 15);
  });
});
