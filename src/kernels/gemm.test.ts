import { describe, expect, it } from 'vitest';
import { tiledProduct } from '../math/gemm-tiles.js';
import { Rng } from '../math/rng.js';
import type { Tensor } from '../math/tensor.js';
import { WasmGemm } from './gemm.js';

const kernel = WasmGemm.create();
if (kernel === null) throw new Error('Node 20 has WebAssembly SIMD: WasmGemm.create() must not return null here');

function random(rng: Rng, length: number, dtype: 'float32' | 'float64'): Tensor {
  const out = dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.normal();
  return out;
}

/** The three layouts of src/math/gemm.ts as (aRow, aCol, bRow, bCol) for given m, n, k. */
const layouts = {
  NT: (m: number, n: number, k: number) => [k, 1, 1, k],
  NN: (m: number, n: number, k: number) => [k, 1, n, 1],
  TN: (m: number, n: number, k: number) => [1, m, n, 1],
} as const;

describe('WebAssembly gemm', () => {
  it('computes a 5×6 product with bias by hand (edge tiles in both directions)', () => {
    // A = the 5×5 identity (k = 5), B[p, j] = 10·p + j (k×n, NN layout), bias[j] = 100·j.
    // C = I·B + bias, so C[i, j] = 10·i + j + 100·j = 10·i + 101·j.
    const m = 5;
    const n = 6;
    const k = 5;
    const a = new Float64Array(m * k);
    for (let i = 0; i < m; i++) a[i * k + i] = 1;
    const b = new Float64Array(k * n);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) b[p * n + j] = 10 * p + j;
    const bias = Float64Array.from({ length: n }, (_, j) => 100 * j);
    const c = new Float64Array(m * n);
    expect(kernel.product(m, n, k, a, k, 1, b, n, 1, bias, c)).toBe(true);
    const expected = [];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expected.push(10 * i + 101 * j);
    expect(Array.from(c)).toEqual(expected);
  });

  // Shapes straddle the 4×4 tiles: whole tiles, leftover rows and columns of 1-3, k of 1 and odd,
  // and the 784 -> 256 -> 10 network's own products at batch 64.
  const shapes: [number, number, number][] = [
    [4, 4, 1],
    [5, 7, 3],
    [6, 9, 17],
    [7, 5, 64],
    [64, 10, 256],
    [10, 256, 64],
    [64, 256, 784],
    [256, 784, 64],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [m, n, k] of shapes) {
      it(`is bit-identical to the JS kernel, ${dtype}, m=${m} n=${n} k=${k}, all three layouts`, () => {
        const rng = new Rng(m * 1000 + n * 10 + k);
        for (const [name, layout] of Object.entries(layouts)) {
          const [aRow, aCol, bRow, bCol] = layout(m, n, k);
          const a = random(rng, m * k, dtype);
          const b = random(rng, k * n, dtype);
          const bias = name === 'NT' ? random(rng, n, dtype) : null;
          const expected = random(rng, m * n, dtype);
          tiledProduct(m, n, k, a, aRow, aCol, b, bRow, bCol, bias, expected);
          const actual = random(rng, m * n, dtype); // stale contents must be overwritten
          expect(kernel.product(m, n, k, a, aRow, aCol, b, bRow, bCol, bias, actual)).toBe(true);
          // toEqual on typed arrays would let -0 equal +0; Object.is per element does not.
          let mismatches = 0;
          for (let i = 0; i < expected.length; i++) if (!Object.is(actual[i], expected[i])) mismatches++;
          expect(mismatches, `${name} layout`).toBe(0);
        }
      });
    }
  }

  it('stores +0 where the sum is -0, as the JS kernel does (0 + (-0) is +0)', () => {
    // Every product is 1·(-0) = -0; the sum starts from +0, so every output is +0, bias or not.
    const a = new Float32Array(4 * 8).fill(1);
    const b = new Float32Array(8 * 4).fill(-0);
    const c = new Float32Array(16).fill(-0);
    kernel.product(4, 4, 8, a, 8, 1, b, 1, 8, null, c);
    for (const value of c) expect(Object.is(value, 0)).toBe(true);
  });

  it('touches only the leading m·n outputs, so oversized batch buffers can be reused', () => {
    // All-ones 4×3 times 3×4: every output is 3.
    const c = new Float32Array(20).fill(7);
    kernel.product(4, 4, 3, new Float32Array(12).fill(1), 3, 1, new Float32Array(12).fill(1), 4, 1, null, c);
    expect(Array.from(c)).toEqual([...new Array(16).fill(3), 7, 7, 7, 7]);
  });

  it('gives the same results after its memory grew (the old views are detached)', () => {
    const rng = new Rng(5);
    const small = () => {
      const a = random(rng, 8 * 8, 'float32');
      const b = random(rng, 8 * 8, 'float32');
      const expected = new Float32Array(64);
      const actual = new Float32Array(64);
      tiledProduct(8, 8, 8, a, 8, 1, b, 1, 8, null, expected);
      kernel.product(8, 8, 8, a, 8, 1, b, 1, 8, null, actual);
      return [actual, expected];
    };
    const [before, beforeExpected] = small();
    expect(before).toEqual(beforeExpected);
    // 4M inputs each: 16 MiB of operands, more than any product above, so the memory grows.
    const big = 2048;
    const a = random(rng, big * big, 'float32');
    const c = new Float32Array(8 * 8);
    kernel.product(8, 8, big, a, big, 1, a, 1, big, null, c);
    const [after, afterExpected] = small();
    expect(after).toEqual(afterExpected);
  });
});
