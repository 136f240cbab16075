import { describe, expect, it } from 'vitest';
import { CrossEntropyLoss } from './cross-entropy.js';

// Zero probabilities follow torch's F.nll_loss(torch.log(p)) / -xlogy(t, p): they cost nothing where they
// do not contribute and +Infinity on the target. Gradients are the exact partials: where torch's autograd
// divides 0 by 0 (NaN) for an idle zero, we return 0 (the fixture script asserts torch's NaN there).
describe('cross_entropy with probabilities of exactly 0', () => {
  const sum = new CrossEntropyLoss({ reduction: 'sum' });

  // p = [0, 0.25, 0.75], target 1: l = -log 0.25 = log 4; dl/dp = [0, -1/0.25, 0] = [0, -4, 0].
  it('ignores a zero probability off the target, with gradient 0 there', () => {
    const { value, grad } = sum.compute(Float64Array.of(0, 0.25, 0.75), [1], 1);
    expect(value).toBe(Math.log(4));
    expect(Array.from(grad)).toEqual([0, -4, 0]);
  });

  // t = [0, 0.5, 0.5]: l = -(0.5 log 0.25 + 0.5 log 0.75); dl/dp = [0, -0.5/0.25, -0.5/0.75] = [0, -2, -2/3].
  it('treats 0 log 0 as 0 for probability rows', () => {
    const { value, grad } = sum.compute(Float64Array.of(0, 0.25, 0.75), [0, 0.5, 0.5], 1);
    expect(value).toBeCloseTo(-(0.5 * Math.log(0.25) + 0.5 * Math.log(0.75)), 15);
    expect(grad[0]).toBe(0);
    expect(grad[1]).toBeCloseTo(-2, 15);
    expect(grad[2]).toBeCloseTo(-2 / 3, 15);
  });

  it('costs +Infinity with gradient -Infinity when the target has probability 0', () => {
    const { value, values, grad } = sum.compute(Float64Array.of(0, 0.4, 0.6, 0.3, 0.3, 0.4), [0, 2], 2);
    expect(value).toBe(Infinity);
    expect(values?.[0]).toBe(Infinity);
    expect(grad[0]).toBe(-Infinity);
    expect(Number.isFinite(values?.[1])).toBe(true);
  });
});
