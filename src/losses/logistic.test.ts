import { describe, expect, it } from 'vitest';
import { expNegAbs, logSigmoidFrom, sigmoidFrom } from './logistic.js';

// Each function of x alone, as a caller needing only one of them would write it.
const sigmoid = (x: number): number => sigmoidFrom(x, expNegAbs(x));
const logSigmoid = (x: number): number => logSigmoidFrom(x, expNegAbs(x));

const LOGITS = [-745, -30, -5.5, -1, -0.25, -1e-300, -0, 0, 1e-300, 0.25, 1, 5.5, 30, 745];

describe('sigmoid and logSigmoid from one exponential', () => {
  it("is torch's 1 / (1 + exp(-x)) to the bit for x >= 0", () => {
    for (const x of LOGITS.filter((v) => v >= 0)) expect(Object.is(sigmoid(x), 1 / (1 + Math.exp(-x)))).toBe(true);
  });

  it('is within a double rounding of 1 / (1 + exp(-x)) for x < 0 (the same quantity over exp(x))', () => {
    for (const x of LOGITS.filter((v) => v < 0)) {
      const torch = 1 / (1 + Math.exp(-x));
      // + the least subnormal: at -745 torch's form overflows exp(745) and gives 0, this one 5e-324.
      expect(Math.abs(sigmoid(x) - torch)).toBeLessThanOrEqual(2 * Number.EPSILON * torch + Number.MIN_VALUE);
    }
  });

  it('keeps sigmoid(-x) = 1 - sigmoid(x) and logSigmoid(x) = log(sigmoid(x)) where both are representable', () => {
    for (const x of [0.25, 1, 5.5]) {
      expect(sigmoid(-x)).toBeCloseTo(1 - sigmoid(x), 15);
      expect(logSigmoid(-x)).toBeCloseTo(Math.log(sigmoid(-x)), 14);
    }
  });

  it('is exact at the extremes and passes NaN through', () => {
    // exp(-1e4) underflows to 0: sigmoid is 0 or 1 exactly, logSigmoid is min(x, 0) exactly.
    expect(sigmoid(-1e4)).toBe(0);
    expect(sigmoid(1e4)).toBe(1);
    expect(logSigmoid(-1e4)).toBe(-1e4);
    expect(logSigmoid(1e4)).toBe(0);
    expect(sigmoid(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(sigmoid(Number.POSITIVE_INFINITY)).toBe(1);
    expect(sigmoid(Number.NaN)).toBeNaN();
    expect(logSigmoid(Number.NaN)).toBeNaN();
  });
});
