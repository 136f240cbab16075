/**
 * The JS kernel behind the dense-layer products of gemm.ts: C = op(A)·op(B) + bias over strided views,
 * register-tiled. Each 4×2 tile of C keeps its eight sums in locals for the whole reduction, so every
 * step of the inner loop does 8 multiply-adds for 6 loads and no stores. Measured on V8 (Node 20) for
 * 784→256 at batch 64, this beat the i-k-j (saxpy) order with the C row reloaded and stored per product
 * by 1.3-2.5×, in float64 most. Sums are accumulated in double precision (JS numbers) from +0 over p in
 * increasing order, the bias added after the sum, and rounded once on store: the WebAssembly kernel
 * (src/kernels/gemm.wat) and dense-small.ts keep exactly this arithmetic, so all paths agree bit for bit.
 */
import type { Tensor } from './tensor.js';

/**
 * C[i,j] = Σ_p A(i,p)·B(p,j) + bias[j], with A(i,p) = a[i·aRow + p·aCol] and B(p,j) = b[p·bRow + j·bCol].
 * Tiles of 4 rows × 2 columns, then the leftover columns of each 4-row strip, then leftover rows
 * (1 × 4 tiles, then single elements).
 */
export function tiledProduct(
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
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = i * aRow;
    const a1 = a0 + aRow;
    const a2 = a1 + aRow;
    const a3 = a2 + aRow;
    const c0 = i * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      let s20 = 0;
      let s21 = 0;
      let s30 = 0;
      let s31 = 0;
      for (let p = 0, ap = 0, bp = j * bCol; p < k; p++, ap += aCol, bp += bRow) {
        const u = b[bp];
        const v = b[bp + bCol];
        const x0 = a[a0 + ap];
        const x1 = a[a1 + ap];
        const x2 = a[a2 + ap];
        const x3 = a[a3 + ap];
        s00 += x0 * u;
        s01 += x0 * v;
        s10 += x1 * u;
        s11 += x1 * v;
        s20 += x2 * u;
        s21 += x2 * v;
        s30 += x3 * u;
        s31 += x3 * v;
      }
      const u = bias === null ? 0 : bias[j];
      const v = bias === null ? 0 : bias[j + 1];
      c[c0 + j] = s00 + u;
      c[c0 + j + 1] = s01 + v;
      c[c1 + j] = s10 + u;
      c[c1 + j + 1] = s11 + v;
      c[c2 + j] = s20 + u;
      c[c2 + j + 1] = s21 + v;
      c[c3 + j] = s30 + u;
      c[c3 + j + 1] = s31 + v;
    }
    for (; j < n; j++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0, ap = 0, bp = j * bCol; p < k; p++, ap += aCol, bp += bRow) {
        const u = b[bp];
        s0 += a[a0 + ap] * u;
        s1 += a[a1 + ap] * u;
        s2 += a[a2 + ap] * u;
        s3 += a[a3 + ap] * u;
      }
      const u = bias === null ? 0 : bias[j];
      c[c0 + j] = s0 + u;
      c[c1 + j] = s1 + u;
      c[c2 + j] = s2 + u;
      c[c3 + j] = s3 + u;
    }
  }
  for (; i < m; i++) {
    const a0 = i * aRow;
    const c0 = i * n;
    let j = 0;
    // A leftover row still shares each A element across four columns (an output layer of 3 classes
    // is all leftover rows in the weight gradient).
    for (; j + 4 <= n; j += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0, ap = 0, bp = j * bCol; p < k; p++, ap += aCol, bp += bRow) {
        const x = a[a0 + ap];
        s0 += x * b[bp];
        s1 += x * b[bp + bCol];
        s2 += x * b[bp + 2 * bCol];
        s3 += x * b[bp + 3 * bCol];
      }
      c[c0 + j] = s0 + (bias === null ? 0 : bias[j]);
      c[c0 + j + 1] = s1 + (bias === null ? 0 : bias[j + 1]);
      c[c0 + j + 2] = s2 + (bias === null ? 0 : bias[j + 2]);
      c[c0 + j + 3] = s3 + (bias === null ? 0 : bias[j + 3]);
    }
    for (; j < n; j++) {
      let s = 0;
      for (let p = 0, ap = 0, bp = j * bCol; p < k; p++, ap += aCol, bp += bRow) s += a[a0 + ap] * b[bp];
      c[c0 + j] = s + (bias === null ? 0 : bias[j]);
    }
  }
}
