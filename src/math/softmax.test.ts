import { describe, expect, it } from 'vitest';
import { softmaxRows } from './softmax.js';

describe('softmaxRows', () => {
  it('normalises each row: softmax([0, ln 3]) = [1/4, 3/4]', () => {
    const x = Float64Array.from([0, Math.log(3), Math.log(2), Math.log(2)]);
    const y = new Float64Array(4);
    softmaxRows(2, 2, x, y);
    expect(y[0]).toBeCloseTo(0.25, 15);
    expect(y[1]).toBeCloseTo(0.75, 15);
    expect(y[2]).toBeCloseTo(0.5, 15);
    expect(y[3]).toBeCloseTo(0.5, 15);
  });

  it('does not overflow for large logits (shift by the row maximum)', () => {
    const x = Float64Array.from([1000, 1000 + Math.log(3), -1000]);
    softmaxRows(1, 3, x, x);
    expect(x[0]).toBeCloseTo(0.25, 12);
    expect(x[1]).toBeCloseTo(0.75, 12);
    expect(x[2]).toBe(0);
  });

  it('works in float32 in place', () => {
    const x = Float32Array.from([1, 1, 1, 1]);
    softmaxRows(1, 4, x, x);
    expect(Array.from(x)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
