/**
 * The three matrix products of a dense layer, plus its bias reduction, on row-major typed arrays.
 * With W stored (out, in) like torch.nn.Linear (https://pytorch.org/docs/stable/generated/torch.nn.Linear.html):
 *
 *   forward       Y[B,out] = X[B,in] · Wᵀ + b         gemmNT(B, out, in, X, W, b, Y)
 *   weight grad   dW[out,in] = dYᵀ · X                gemmTN(out, in, B, dY, X, dW)
 *   input grad    dX[B,in] = dY · W                   gemmNN(B, in, out, dY, W, dX)
 *   bias grad     db[out] = Σ_b dY[b,:]               columnSums(B, out, dY, db)
 *
 * Every output is preallocated by the caller and overwritten (BLAS beta = 0); only the leading
 * m·n elements are touched, so buffers sized for a larger batch can be reused.
 *
 * Two kernels compute the products with the same arithmetic (double-precision sums over p in
 * increasing order, bias added after, one rounding on store), so they agree bit for bit: the
 * WebAssembly SIMD kernel (src/kernels/gemm.ts, two f64 lanes, 4×4 tiles) for products of at least
 * WASM_MIN_MULTIPLY_ADDS, where copying the operands into its memory is cheap next to the product
 * (4-5× the JS kernel at 784 -> 256, batch 64), and the JS kernel (gemm-tiles.ts) for small ones and
 * where WebAssembly SIMD is missing.
 */
import { WasmGemm } from '../kernels/gemm.js';
import { tiledProduct } from './gemm-tiles.js';
import type { Tensor } from './tensor.js';

/**
 * m·n·k from which a product goes to WebAssembly, and the least m and n. Measured on Node 20 (float32,
 * wall time per product, since the kernel's packing went vector-wide): the JS kernel costs ~2-2.5 ns
 * per multiply-add at these sizes, the WebAssembly path ~2 us of copies plus ~0.3 ns per multiply-add,
 * so they cross near 1,000: at 2,000-3,000 (the 2 -> 100 -> 3 MLP's products at batch 10) WebAssembly
 * takes 3.0 us against 4.8-6.1 us (except 100×2×10's weight gradient, even), at 4,096 (16×16×16)
 * 2.1 against 5.2, at 64×256×784 4-5× less; a single row gains nothing at any size (its 4×4 tiles
 * compute three rows of padding while B is packed in full).
 */
export const WASM_MIN_MULTIPLY_ADDS = 1024;
const WASM_MIN_SIDE = 2;

let wasm: WasmGemm | null | undefined;
let wasmEnabled = true;

/** Turns the WebAssembly kernel off (or back on), e.g. to measure the JS kernel; results are identical. */
export function useWasmGemm(enabled: boolean): void {
  wasmEnabled = enabled;
}

/** C[m×n] = A[m×k] · B[n×k]ᵀ + bias[n] (broadcast over rows; null for none). */
export function gemmNT(m: number, n: number, k: number, a: Tensor, b: Tensor, bias: Tensor | null, c: Tensor): void {
  product(m, n, k, a, k, 1, b, 1, k, bias, c);
}

/** C[m×n] = A[m×k] · B[k×n]. */
export function gemmNN(m: number, n: number, k: number, a: Tensor, b: Tensor, c: Tensor): void {
  product(m, n, k, a, k, 1, b, n, 1, null, c);
}

/** C[m×n] = A[k×m]ᵀ · B[k×n]. */
export function gemmTN(m: number, n: number, k: number, a: Tensor, b: Tensor, c: Tensor): void {
  product(m, n, k, a, 1, m, b, n, 1, null, c);
}

/** out[j] = Σ_i A[i,j] for A[m×n]. */
export function columnSums(m: number, n: number, a: Tensor, out: Tensor): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0, idx = j; i < m; i++, idx += n) s += a[idx];
    out[j] = s;
  }
}

function product(
  m: number,
  n: number,
  k: number,
  a: Tensor,
  aRow: number,
  aCol: number,
  b: Tensor,
  bRow: number,
  bCol: number,
  bias: Tensor | null,
  c: Tensor,
): void {
  if (wasmEnabled && m >= WASM_MIN_SIDE && n >= WASM_MIN_SIDE && m * n * k >= WASM_MIN_MULTIPLY_ADDS) {
    if (wasm === undefined) wasm = WasmGemm.create();
    if (wasm !== null && wasm.product(m, n, k, a, aRow, aCol, b, bRow, bCol, bias, c)) return;
  }
  tiledProduct(m, n, k, a, aRow, aCol, b, bRow, bCol, bias, c);
}
