// Hand-derived steps; the full torch comparison is in torch-parity.test.ts.
import { describe, expect, it } from 'vitest';
import { createOptimizer } from './registry.js';

describe('Adagrad', () => {
  it('divides by the root of the summed squares, with lr decayed by 1 + (t-1) * lrDecay', () => {
    const opt = createOptimizer({ type: 'adagrad', lr: 1, lrDecay: 1, eps: 0 });
    const p = { w: new Float64Array([0]) };
    // t = 1, g = 3: sum 9, clr 1, p = -3/3 = -1.
    opt.step(p, { w: new Float64Array([3]) });
    expect(p.w[0]).toBe(-1);
    // t = 2, g = 4: sum 25, clr 1/2, p = -1 - 0.5 * 4/5 = -1.4; effective lr 0.5/5 = 0.1.
    opt.step(p, { w: new Float64Array([4]) });
    expect(p.w[0]).toBeCloseTo(-1.4, 15);
    expect(opt.effectiveLearningRates().w[0]).toBeCloseTo(0.1, 15);
  });

  it('starts the sum at initialAccumulatorValue (the textbook eps-inside-the-root form)', () => {
    const opt = createOptimizer({ type: 'adagrad', lr: 1, initialAccumulatorValue: 16, eps: 0 });
    const p = { w: new Float32Array([0]) };
    // sum 16 + 9 = 25, p = -3/5.
    opt.step(p, { w: new Float32Array([3]) });
    expect(p.w[0]).toBeCloseTo(-0.6, 7);
    expect(opt.getState().slots['w/sum']).toEqual(new Float32Array([25]));
  });
});
