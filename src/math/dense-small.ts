/**
 * Fast paths of the dense-layer products (gemm.ts) for the two shapes its 4×2 tiles serve worst: a
 * layer with a single output (logistic and single-output regression heads) and a batch of one row
 * (per-sample online learning). With W stored (out, in):
 *
 *   forward, one output     y[r] = Σ_p x[r,p]·w[p] + b                 = gemmNT(B, 1, in, x, w, b, y)
 *   weight grad, one output dW[p] = Σ_r dy[r]·x[r,p],  db = Σ_r dy[r]   = gemmTN(1, in, B, dy, x, dW), columnSums
 *   weight grad, one row    dW[j,p] = dy[j]·x[p]                        = gemmTN(out, in, 1, dy, x, dW)
 *   bias grad, one row      db[j] = dy[j]                               = columnSums(1, out, dy, db)
 *
 * Bit-identical to gemm.ts by construction: every output is one double-precision sum started from +0
 * and taken over p in increasing order, the bias added after the sum, rounded once on store. Starting
 * from +0 matters even for a single term: +0 + (-0) is +0, so a product of -0 is stored as +0 exactly
 * like the general kernels store it (the sign of a zero gradient can show in a later update).
 */
import type { Tensor } from './tensor.js';

/**
 * y[r] = x[r, :] · w + bias[0] for r < rows, x row-major [rows × k], w of length k (gemmNT with n = 1).
 * Four rows at a time: each row's sum is still one chain over p in order (the same bits), but four
 * independent chains keep the adder busy where one would wait on each addition's latency.
 */
export function gemvSingleOutput(rows: number, k: number, x: Tensor, w: Tensor, bias: Tensor, y: Tensor): void {
  const b = bias[0];
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * k;
    const o1 = o0 + k;
    const o2 = o1 + k;
    const o3 = o2 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let p = 0; p < k; p++) {
      const u = w[p];
      s0 += x[o0 + p] * u;
      s1 += x[o1 + p] * u;
      s2 += x[o2 + p] * u;
      s3 += x[o3 + p] * u;
    }
    y[r] = s0 + b;
    y[r + 1] = s1 + b;
    y[r + 2] = s2 + b;
    y[r + 3] = s3 + b;
  }
  for (let offset = r * k; r < rows; r++, offset += k) {
    let s = 0;
    for (let p = 0; p < k; p++) s += x[offset + p] * w[p];
    y[r] = s + b;
  }
}

/**
 * dW[p] = Σ_r gy[r] · x[r, p] and db = Σ_r gy[r] over `rows` rows of x [rows × k] (gemmTN with one
 * output, and columnSums). gemm's 4×2 tiles would spend three of every four rows of work on padding
 * here; this takes four features at a time, each still one sum over r in order (the same bits), and
 * reads x row by row in four-value runs.
 */
export function weightGradSingleOutput(rows: number, k: number, gy: Tensor, x: Tensor, gradWeight: Tensor, gradBias: Tensor): void {
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let r = 0, o = p; r < rows; r++, o += k) {
      const g = gy[r];
      s0 += g * x[o];
      s1 += g * x[o + 1];
      s2 += g * x[o + 2];
      s3 += g * x[o + 3];
    }
    gradWeight[p] = s0;
    gradWeight[p + 1] = s1;
    gradWeight[p + 2] = s2;
    gradWeight[p + 3] = s3;
  }
  for (; p < k; p++) {
    let s = 0;
    for (let r = 0, o = p; r < rows; r++, o += k) s += gy[r] * x[o];
    gradWeight[p] = s;
  }
  let sb = 0;
  for (let r = 0; r < rows; r++) sb += gy[r];
  gradBias[0] = sb;
}

/** dW[j, p] = gy[j] · x[p] and db[j] = gy[j] for one row (gemmTN and columnSums with a batch of 1). */
export function outerProductSingleRow(outputs: number, inputs: number, gy: Tensor, x: Tensor, gradWeight: Tensor, gradBias: Tensor): void {
  for (let j = 0, offset = 0; j < outputs; j++, offset += inputs) {
    const g = gy[j];
    for (let p = 0; p < inputs; p++) gradWeight[offset + p] = 0 + g * x[p];
    gradBias[j] = 0 + g;
  }
}
