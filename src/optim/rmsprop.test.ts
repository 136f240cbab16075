// Hand-derived steps; the full torch comparison is in torch-parity.test.ts.
import { describe, expect, it } from 'vitest';
import { createOptimizer } from './registry.js';

describe('RMSprop', () => {
  it('divides by sqrt of the running mean square (eps after the root)', () => {
    // alpha 0.5, g = 2: sq = 0.5 * 4 = 2, p = -0.1 * 2 / sqrt(2) = -0.1 * sqrt(2).
    const opt = createOptimizer({ type: 'rmsprop', lr: 0.1, alpha: 0.5, eps: 0 });
    const p = { w: new Float64Array([0]) };
    opt.step(p, { w: new Float64Array([2]) });
    expect(p.w[0]).toBeCloseTo(-0.1 * Math.SQRT2, 15);
    expect(opt.effectiveLearningRates().w[0]).toBeCloseTo(0.1 / Math.SQRT2, 15);
  });

  it('centered: subtracts the squared running mean, i.e. divides by a standard deviation', () => {
    // alpha 0.5, g = 2: sq = 2, ga = 1, variance 2 - 1 = 1, p = -0.1 * 2 / 1.
    const opt = createOptimizer({ type: 'rmsprop', lr: 0.1, alpha: 0.5, eps: 0, centered: true });
    const p = { w: new Float64Array([0]) };
    opt.step(p, { w: new Float64Array([2]) });
    expect(p.w[0]).toBeCloseTo(-0.2, 15);
    expect(opt.effectiveLearningRates().w[0]).toBeCloseTo(0.1, 15);
    expect(Object.keys(opt.getState().slots)).toEqual(['w/square_avg', 'w/grad_avg']);
  });

  it('momentum accumulates g / avg and steps by lr * buffer', () => {
    // alpha 0.5, momentum 0.5, g = 2, 2: avg sqrt(2) then sqrt(3);
    // buf sqrt(2) -> p = -0.1 sqrt(2); buf 0.5 sqrt(2) + 2/sqrt(3) -> p -= 0.1 * buf.
    const opt = createOptimizer({ type: 'rmsprop', lr: 0.1, alpha: 0.5, eps: 0, momentum: 0.5 });
    const p = { w: new Float64Array([0]) };
    opt.step(p, { w: new Float64Array([2]) });
    opt.step(p, { w: new Float64Array([2]) });
    expect(p.w[0]).toBeCloseTo(-0.1 * Math.SQRT2 - 0.1 * (0.5 * Math.SQRT2 + 2 / Math.sqrt(3)), 15);
  });
});
