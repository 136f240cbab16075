// Where the runtime has no WebAssembly (or no SIMD), the products keep the JS kernel, whatever their size.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { WasmGemm } from '../kernels/gemm.js';
import { gemmNT } from './gemm.js';
import { tiledProduct } from './gemm-tiles.js';
import { Rng } from './rng.js';

describe('gemm without WebAssembly', () => {
  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it('runs large products on the JS kernel', () => {
    // Stubbed before this file's first large product: the WebAssembly kernel is created lazily, once.
    vi.stubGlobal('WebAssembly', undefined);
    expect(WasmGemm.create()).toBeNull();
    const [m, n, k] = [64, 32, 100];
    const rng = new Rng(9);
    const a = Float32Array.from({ length: m * k }, () => rng.normal());
    const b = Float32Array.from({ length: n * k }, () => rng.normal());
    const bias = Float32Array.from({ length: n }, () => rng.normal());
    const expected = new Float32Array(m * n);
    tiledProduct(m, n, k, a, k, 1, b, 1, k, bias, expected);
    const actual = new Float32Array(m * n);
    gemmNT(m, n, k, a, b, bias, actual);
    expect(actual).toEqual(expected);
  });
});
