// Hand-derived steps; the full torch comparison is in torch-parity.test.ts.
import { describe, expect, it } from 'vitest';
import { createOptimizer } from './registry.js';
import type { OptimizerConfig } from './types.js';

function run(config: OptimizerConfig, p0: number, grads: number[]): number[] {
  const opt = createOptimizer(config);
  const p = { w: new Float64Array([p0]) };
  return grads.map((g) => {
    opt.step(p, { w: new Float64Array([g]) });
    return p.w[0];
  });
}

describe('SGD', () => {
  it('plain: p -= lr * (g + weightDecay * p)', () => {
    // lr 0.1, wd 0.5, p = 2, g = 0: d = 1, p = 1.9.
    expect(run({ type: 'sgd', lr: 0.1, weightDecay: 0.5 }, 2, [0])[0]).toBeCloseTo(1.9, 15);
  });

  it('momentum: the buffer starts as the gradient, undampened; dampening applies afterwards', () => {
    // lr 0.1, momentum 0.9, dampening 0.5, g = 1, 1: buf 1 -> p 0.9; buf 0.9 + 0.5 = 1.4 -> p 0.76.
    const [p1, p2] = run({ type: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0.5 }, 1, [1, 1]);
    expect(p1).toBeCloseTo(0.9, 15);
    expect(p2).toBeCloseTo(0.76, 15);
  });

  it('nesterov: steps along g + momentum * buf', () => {
    // lr 0.1, momentum 0.9, g = 1, 1: buf 1, d 1.9 -> p 0.81; buf 1.9, d 1 + 1.71 = 2.71 -> p 0.539.
    const [p1, p2] = run({ type: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true }, 1, [1, 1]);
    expect(p1).toBeCloseTo(0.81, 15);
    expect(p2).toBeCloseTo(0.539, 15);
  });

  it('a parameter first seen later starts its own buffer from its gradient', () => {
    const opt = createOptimizer({ type: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0.5 });
    opt.step({ a: new Float64Array([0]) }, { a: new Float64Array([1]) });
    const p = { a: new Float64Array([0]), b: new Float64Array([1]) };
    opt.step(p, { a: new Float64Array([1]), b: new Float64Array([1]) });
    // b: buf = g = 1 (fresh), p = 1 - 0.1 = 0.9; a: buf = 0.9 + 0.5 = 1.4.
    expect(p.b[0]).toBeCloseTo(0.9, 15);
    expect(opt.getState().slots['a/momentum_buffer'][0]).toBeCloseTo(1.4, 15);
  });
});
