/**
 * Row-wise softmax of a row-major [rows × cols] matrix: y_ij = exp(x_ij - max_j x_ij) / Σ_k exp(x_ik - max_j x_ij).
 * Subtracting the row maximum leaves the result unchanged and keeps exp() from overflowing
 * (torch/aten/src/ATen/native/cpu/SoftMaxKernel.cpp does the same).
 *
 * `y` may be the same array as `x` (in place). Only the leading rows·cols elements are touched.
 */
import type { Tensor } from './tensor.js';

export function softmaxRows(rows: number, cols: number, x: Tensor, y: Tensor): void {
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    const end = start + cols;
    let max = -Infinity;
    for (let i = start; i < end; i++) if (x[i] > max) max = x[i];
    let sum = 0;
    for (let i = start; i < end; i++) {
      const e = Math.exp(x[i] - max);
      y[i] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let i = start; i < end; i++) y[i] *= inv;
  }
}
