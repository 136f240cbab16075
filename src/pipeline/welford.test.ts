import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import { OnlineStandardizer } from './welford.js';

/** The textbook two-pass computation, independent of the code under test. */
function twoPass(rows: readonly Float64Array[], feature: number): { mean: number; variance: number } {
  let sum = 0;
  for (const row of rows) sum += row[feature];
  const mean = sum / rows.length;
  let squares = 0;
  for (const row of rows) squares += (row[feature] - mean) ** 2;
  return { mean, variance: squares / rows.length };
}

describe('OnlineStandardizer', () => {
  it('matches a two-pass mean and population variance, even with a large offset', () => {
    const rng = new Rng(3);
    const rows: Float64Array[] = [];
    for (let i = 0; i < 5000; i++) rows.push(new Float64Array([rng.normal(0, 1), 1e6 + rng.normal(0, 0.01), rng.uniform()]));
    const standardizer = new OnlineStandardizer(3);
    for (const row of rows) standardizer.update(row);
    const state = standardizer.getState();
    const variance = standardizer.variance();
    expect(state.count).toBe(5000);
    for (let f = 0; f < 3; f++) {
      const reference = twoPass(rows, f);
      expect(Math.abs(state.mean[f] - reference.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(reference.mean)));
      // Feature 1 has mean / std = 1e8: its inputs carry ~1e-10 absolute rounding, so both methods agree to
      // ~1e-8 relative at best (the naive sum(x^2)/n - mean^2 would lose every digit here).
      expect(Math.abs(variance[f] - reference.variance) / reference.variance).toBeLessThan(f === 1 ? 1e-7 : 1e-12);
    }
  });

  it('updates with the sample first, then standardizes it', () => {
    const s = new OnlineStandardizer(1);
    // x = 1: mean 1, variance 0 -> divided by 1 -> 0.
    expect(s.updateAndTransform(new Float64Array([1]))[0]).toBe(0);
    // x = 3: mean 2, variance ((1-2)^2 + (3-2)^2) / 2 = 1 -> (3 - 2) / 1 = 1.
    expect(s.updateAndTransform(new Float64Array([3]))[0]).toBe(1);
    // x = 5: mean 3, variance (4 + 0 + 4) / 3 = 8/3 -> 2 / sqrt(8/3) = 1.2247448713915890.
    expect(s.updateAndTransform(new Float64Array([5]))[0]).toBeCloseTo(1.224744871391589, 15);
    // transform alone leaves the statistics alone: mean 3, variance 8/3 -> (3 - 3) = 0.
    expect(s.transform(new Float64Array([3]))[0]).toBe(0);
    expect(s.getState().count).toBe(3);
  });

  it('only centres a constant feature (std 0 is replaced by 1) and keeps the input dtype', () => {
    const s = new OnlineStandardizer(2);
    s.update(new Float32Array([7.5, 4]));
    const out = s.updateAndTransform(new Float32Array([7.5, 6]));
    expect(out).toBeInstanceOf(Float32Array);
    // feature 0 constant -> 0; feature 1: mean 5, variance 1 -> (6 - 5) / 1 = 1.
    expect([...out]).toEqual([0, 1]);
  });

  it('continues bit-identically after getState / fromState', () => {
    const rng = new Rng(11);
    const rows = Array.from({ length: 100 }, () => new Float32Array([rng.normal(170, 10), rng.normal(70, 15)]));
    const uninterrupted = new OnlineStandardizer(2);
    const expected = rows.map((row) => uninterrupted.updateAndTransform(row));
    const first = new OnlineStandardizer(2);
    const got = rows.slice(0, 50).map((row) => first.updateAndTransform(row));
    const saved = first.getState();
    first.update(rows[0]); // later updates must not reach the saved copy
    const resumed = OnlineStandardizer.fromState(saved);
    got.push(...rows.slice(50).map((row) => resumed.updateAndTransform(row)));
    expect(got).toEqual(expected);
    expect(resumed.getState()).toEqual(uninterrupted.getState());
  });

  it('refuses vectors and states of the wrong size', () => {
    const s = new OnlineStandardizer(2);
    expect(() => s.update([1, 2, 3])).toThrow('OnlineStandardizer has 2 features, got a vector of 3');
    expect(() => s.setState({ count: 1, mean: new Float64Array(3), m2: new Float64Array(3) })).toThrow('expected 2');
    expect(() => new OnlineStandardizer(0)).toThrow('features must be an integer >= 1');
  });

  it('updates and standardizes in one pass to the same bits as update then transform, in place or not', () => {
    const rng = new Rng(9);
    const fused = new OnlineStandardizer(3);
    const separate = new OnlineStandardizer(3);
    for (let i = 0; i < 2000; i++) {
      const x = Float32Array.of(rng.normal(170, 10), 1e4 + rng.normal(0, 1e-3), i % 7 === 0 ? 5 : rng.uniform());
      separate.update(x);
      const expected = separate.transform(x);
      const out = i % 2 === 0 ? fused.updateAndTransform(x) : fused.updateAndTransform(x, x);
      expect(Buffer.from(out.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    }
    expect(fused.getState()).toEqual(separate.getState());
  });

  it('standardizes a row of a block in place to the same bits as updateAndTransform, and refuses a row that does not fit', () => {
    const rng = new Rng(5);
    const rows = new Float32Array(3 * 400);
    for (let k = 0; k < rows.length; k++) rows[k] = rng.normal(100, 20);
    const copy = new Float32Array(rows);
    const atOffset = new OnlineStandardizer(3);
    const reference = new OnlineStandardizer(3);
    for (let i = 0; i < 400; i++) {
      atOffset.updateAndTransformAt(rows, 3 * i);
      const expected = reference.updateAndTransform(copy.subarray(3 * i, 3 * i + 3));
      expect(Buffer.from(rows.buffer, 12 * i, 12).equals(Buffer.from(expected.buffer, expected.byteOffset, 12))).toBe(true);
    }
    expect(atOffset.getState()).toEqual(reference.getState());
    expect(() => atOffset.updateAndTransformAt(rows, rows.length - 2)).toThrow('a row of 3 at offset 1198 does not fit in 1200 values');
  });
});
