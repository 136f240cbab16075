import { describe, expect, it } from 'vitest';
import { columnSums, gemmNN, gemmNT, gemmTN, useWasmGemm, WASM_MIN_MULTIPLY_ADDS } from './gemm.js';
import { Rng } from './rng.js';

// A = [[1, 2, 3], [4, 5, 6]] (2×3), W = [[1, 0, -1], [2, 1, 0]] (2×3, layout (out, in)), b = [10, 20].
const A = [1, 2, 3, 4, 5, 6];
const W = [1, 0, -1, 2, 1, 0];

/** Textbook triple loop, C[i,j] = Σ_p op(A)[i,p] op(B)[p,j], as an independent reference. */
function reference(
  m: number,
  n: number,
  k: number,
  at: (i: number, p: number) => number,
  bt: (p: number, j: number) => number,
): number[] {
  const c: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += at(i, p) * bt(p, j);
      c.push(s);
    }
  }
  return c;
}

function random(rng: Rng, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.normal();
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(expected[i])));
  }
}

describe('dense layer products by hand', () => {
  it('forward Y = A Wᵀ + b', () => {
    // Row 0: [1-3, 2+2] + b = [8, 24]; row 1: [4-6, 8+5] + b = [8, 33].
    const y = new Float64Array(4);
    gemmNT(2, 2, 3, Float64Array.from(A), Float64Array.from(W), Float64Array.from([10, 20]), y);
    expect(Array.from(y)).toEqual([8, 24, 8, 33]);
  });

  it('forward without bias', () => {
    const y = new Float64Array(4);
    gemmNT(2, 2, 3, Float64Array.from(A), Float64Array.from(W), null, y);
    expect(Array.from(y)).toEqual([-2, 4, -2, 13]);
  });

  it('weight grad dW = dYᵀ X and bias grad db = column sums of dY', () => {
    // dY = [[1, 0], [1, 2]] (2 rows × 2 outputs), X = A. dW[0,:] = X0 + X1 = [5, 7, 9]; dW[1,:] = 2 X1 = [8, 10, 12].
    const dY = Float64Array.from([1, 0, 1, 2]);
    const dW = new Float64Array(6);
    gemmTN(2, 3, 2, dY, Float64Array.from(A), dW);
    expect(Array.from(dW)).toEqual([5, 7, 9, 8, 10, 12]);
    const db = new Float64Array(2);
    columnSums(2, 2, dY, db);
    expect(Array.from(db)).toEqual([2, 2]);
  });

  it('input grad dX = dY W', () => {
    // Row 0: 1·W0 = [1, 0, -1]; row 1: W0 + 2 W1 = [5, 2, -1].
    const dX = new Float64Array(6);
    gemmNN(2, 3, 2, Float64Array.from([1, 0, 1, 2]), Float64Array.from(W), dX);
    expect(Array.from(dX)).toEqual([1, 0, -1, 5, 2, -1]);
  });
});

describe('gemm kernels against a triple loop', () => {
  // Sizes straddle the JS kernel's 4×2 and 1×4 tiles (full tiles, leftover columns, leftover rows, k below
  // and above 4); 10×100×2 and the last three are past WASM_MIN_MULTIPLY_ADDS, so they check the
  // WebAssembly kernel's 4×4 tiles and their edges too.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 2],
    [4, 4, 4],
    [7, 3, 9],
    [10, 100, 2],
    [9, 6, 13],
    [9, 33, 20],
    [2, 70, 31],
    [66, 10, 17],
  ];

  for (const [m, n, k] of shapes) {
    it(`m=${m} n=${n} k=${k}`, () => {
      const rng = new Rng(m * 100 + n * 10 + k);
      const a = random(rng, m * k);
      const b = random(rng, n * k);
      const bias = random(rng, n);
      const c = random(rng, m * n); // stale contents must be overwritten, not accumulated
      gemmNT(m, n, k, a, b, bias, c);
      const nt = reference(m, n, k, (i, p) => a[i * k + p], (p, j) => b[j * k + p]);
      expectClose(
        c,
        nt.map((v, idx) => v + bias[idx % n]),
      );

      const bkn = random(rng, k * n);
      gemmNN(m, n, k, a, bkn, c);
      expectClose(c, reference(m, n, k, (i, p) => a[i * k + p], (p, j) => bkn[p * n + j]));

      const akm = random(rng, k * m);
      gemmTN(m, n, k, akm, bkn, c);
      expectClose(c, reference(m, n, k, (i, p) => akm[p * m + i], (p, j) => bkn[p * n + j]));

      const sums = random(rng, n);
      columnSums(k, n, bkn, sums);
      expectClose(sums, reference(1, n, k, () => 1, (p, j) => bkn[p * n + j]));
    });
  }

  it('touches only the leading m·n outputs, so oversized batch buffers can be reused', () => {
    const c = new Float32Array(8).fill(7);
    gemmNT(1, 2, 3, Float32Array.from(A), Float32Array.from(W), null, c);
    expect(Array.from(c)).toEqual([-2, 4, 7, 7, 7, 7, 7, 7]);
    gemmNN(1, 3, 2, Float32Array.from([1, 1]), Float32Array.from(W), c);
    expect(Array.from(c)).toEqual([3, 1, -1, 7, 7, 7, 7, 7]);
  });
});

describe('the WebAssembly and JS kernels', () => {
  // 64 × 256 × 784 is the 784 -> 256 layer's forward at batch 64; 13 × 7 × 50 has leftover rows and
  // columns on every side; 8 × 8 × 17 is just past the threshold.
  const cases: [number, number, number][] = [
    [64, 256, 784],
    [13, 7, 50],
    [8, 8, 17],
  ];

  for (const [m, n, k] of cases) {
    it(`give the same bits for m=${m} n=${n} k=${k} (float32 and float64, all three products)`, () => {
      expect(m * n * k).toBeGreaterThanOrEqual(WASM_MIN_MULTIPLY_ADDS);
      const rng = new Rng(m + n + k);
      for (const dtype of ['float32', 'float64'] as const) {
        const make = (length: number) => {
          const values = random(rng, length);
          return dtype === 'float32' ? Float32Array.from(values) : values;
        };
        const a = make(m * k);
        const b = make(n * k);
        const bias = make(n);
        const run = (wasm: boolean) => {
          useWasmGemm(wasm);
          try {
            const nt = make(m * n);
            const nn = make(m * n);
            const tn = make(m * n);
            gemmNT(m, n, k, a, b, bias, nt);
            gemmNN(m, n, k, a, b, nn);
            gemmTN(m, n, k, a, b, tn);
            return [nt, nn, tn];
          } finally {
            useWasmGemm(true);
          }
        };
        const [wasm, js] = [run(true), run(false)];
        for (let product = 0; product < 3; product++) {
          // Bytes, not values: a -0 against a +0 would be a difference too.
          expect(Buffer.compare(Buffer.from(wasm[product].buffer), Buffer.from(js[product].buffer))).toBe(0);
        }
      }
    });
  }
});
