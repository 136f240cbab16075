import { describe, expect, it } from 'vitest';
import { gemvSingleOutput, outerProductSingleRow, weightGradSingleOutput } from './dense-small.js';
import { columnSums, gemmNT, gemmTN } from './gemm.js';
import { Rng } from './rng.js';
import { allocate, type DType, type Tensor } from './tensor.js';

function random(rng: Rng, dtype: DType, length: number): Tensor {
  const out = allocate(dtype, length);
  for (let i = 0; i < length; i++) out[i] = rng.normal();
  return out;
}

/** Same bits, so -0 and +0 differ (toEqual on typed arrays would treat them alike). */
function expectSameBits(actual: Tensor, expected: Tensor): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Object.is(actual[i], expected[i])).toBe(true);
}

describe('gemvSingleOutput', () => {
  it('computes x·w + b per row (by hand)', () => {
    // Rows (1, 2, 3) and (4, 5, 6), w = (1, 0, -1), b = 10: 1 - 3 + 10 = 8 and 4 - 6 + 10 = 8.
    const y = new Float64Array(2);
    gemvSingleOutput(2, 3, new Float64Array([1, 2, 3, 4, 5, 6]), new Float64Array([1, 0, -1]), new Float64Array([10]), y);
    expect(Array.from(y)).toEqual([8, 8]);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`gives gemmNT's bits with one output, ${dtype}, for batches of 1 to 9 rows`, () => {
      const rng = new Rng(7);
      for (let rows = 1; rows <= 9; rows++) {
        for (const k of [1, 2, 5, 30]) {
          const x = random(rng, dtype, rows * k);
          const w = random(rng, dtype, k);
          const b = random(rng, dtype, 1);
          const fast = allocate(dtype, rows);
          const general = allocate(dtype, rows);
          gemvSingleOutput(rows, k, x, w, b, fast);
          gemmNT(rows, 1, k, x, w, b, general);
          expectSameBits(fast, general);
        }
      }
    });
  }
});

describe('outerProductSingleRow', () => {
  it('computes dW = gy xᵀ and db = gy (by hand)', () => {
    // gy = (2, -1), x = (1, 3, 0.5): dW rows (2, 6, 1) and (-1, -3, -0.5).
    const dW = new Float64Array(6);
    const db = new Float64Array(2);
    outerProductSingleRow(2, 3, new Float64Array([2, -1]), new Float64Array([1, 3, 0.5]), dW, db);
    expect(Array.from(dW)).toEqual([2, 6, 1, -1, -3, -0.5]);
    expect(Array.from(db)).toEqual([2, -1]);
  });

  it('stores a -0 product as +0, like a sum started from 0', () => {
    const dW = new Float64Array(2);
    const db = new Float64Array(1);
    outerProductSingleRow(1, 2, new Float64Array([-0]), new Float64Array([1, -2]), dW, db);
    expect(Object.is(dW[0], 0)).toBe(true);
    expect(Object.is(dW[1], 0)).toBe(true);
    expect(Object.is(db[0], 0)).toBe(true);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`gives gemmTN's and columnSums' bits for a batch of 1, ${dtype}, signed zeros included`, () => {
      const rng = new Rng(11);
      for (const outputs of [1, 2, 3, 4, 5, 10]) {
        for (const inputs of [1, 2, 7, 30]) {
          const gy = random(rng, dtype, outputs);
          const x = random(rng, dtype, inputs);
          gy[0] = -0;
          x[inputs - 1] = 0;
          const fastW = allocate(dtype, outputs * inputs);
          const fastB = allocate(dtype, outputs);
          const generalW = allocate(dtype, outputs * inputs);
          const generalB = allocate(dtype, outputs);
          outerProductSingleRow(outputs, inputs, gy, x, fastW, fastB);
          gemmTN(outputs, inputs, 1, gy, x, generalW);
          columnSums(1, outputs, gy, generalB);
          expectSameBits(fastW, generalW);
          expectSameBits(fastB, generalB);
        }
      }
    });
  }
});

describe('weightGradSingleOutput', () => {
  it('computes dW = Σ_r gy[r] x[r, :] and db = Σ_r gy[r] (by hand)', () => {
    // gy = (2, -1), rows (1, 3, 0.5) and (4, 0, 1): dW = (2 - 4, 6 - 0, 1 - 1) = (-2, 6, 0), db = 1.
    const dW = new Float64Array(3);
    const db = new Float64Array(1);
    weightGradSingleOutput(2, 3, new Float64Array([2, -1]), new Float64Array([1, 3, 0.5, 4, 0, 1]), dW, db);
    expect(Array.from(dW)).toEqual([-2, 6, 0]);
    expect(Array.from(db)).toEqual([1]);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`gives gemmTN's and columnSums' bits with one output, ${dtype}, for 1 to 9 and 32 rows, signed zeros included`, () => {
      const rng = new Rng(13);
      for (const rows of [1, 2, 3, 4, 5, 6, 7, 8, 9, 32]) {
        for (const k of [1, 2, 3, 4, 5, 7, 8, 30, 31]) {
          const gy = random(rng, dtype, rows);
          const x = random(rng, dtype, rows * k);
          gy[0] = -0;
          x[k - 1] = 0;
          const fastW = allocate(dtype, k);
          const fastB = allocate(dtype, 1);
          const generalW = allocate(dtype, k);
          const generalB = allocate(dtype, 1);
          weightGradSingleOutput(rows, k, gy, x, fastW, fastB);
          gemmTN(1, k, rows, gy, x, generalW);
          columnSums(rows, 1, gy, generalB);
          expectSameBits(fastW, generalW);
          expectSameBits(fastB, generalB);
        }
      }
    });
  }
});
