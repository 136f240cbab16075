/**
 * The activation after the last dense layer, chosen from the loss (logits losses want identity):
 *
 *   identity  y = z                        dz = dy
 *   sigmoid   y = 1 / (1 + e^-z)           dz = dy ⊙ y (1 - y)
 *   softmax   y_j = e^z_j / Σ_k e^z_k      dz_j = y_j (dy_j - Σ_k dy_k y_k)
 *
 * The softmax backward is the Jacobian-vector product J·dy with J = diag(y) - y yᵀ, per row, computed
 * without forming J (torch/aten/src/ATen/native/SoftMax.cpp, softmax_backward_data).
 */
import { softmaxRows } from '../math/softmax.js';
import type { Tensor } from '../math/tensor.js';
import { sigmoidInPlace } from './activations.js';
import type { OutputActivation } from './types.js';

/** z ← f(z) over a row-major [rows × cols] block. */
export function outputForward(kind: OutputActivation, z: Tensor, rows: number, cols: number): void {
  switch (kind) {
    case 'identity':
      return;
    case 'sigmoid':
      sigmoidInPlace(z, rows * cols);
      return;
    case 'softmax':
      softmaxRows(rows, cols, z, z);
      return;
  }
}

/**
 * gz ← d(loss)/dz from gy = d(loss)/dy and the forward output y. `gz` must not alias `gy` for softmax
 * (the row's dot product reads all of gy first); identity callers use gy directly instead.
 */
export function outputBackward(
  kind: OutputActivation,
  y: Tensor,
  gy: Tensor,
  gz: Tensor,
  rows: number,
  cols: number,
): void {
  switch (kind) {
    case 'identity':
      for (let i = 0; i < rows * cols; i++) gz[i] = gy[i];
      return;
    case 'sigmoid':
      for (let i = 0; i < rows * cols; i++) gz[i] = gy[i] * y[i] * (1 - y[i]);
      return;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const start = r * cols;
        const end = start + cols;
        let dot = 0;
        for (let i = start; i < end; i++) dot += gy[i] * y[i];
        for (let i = start; i < end; i++) gz[i] = y[i] * (gy[i] - dot);
      }
      return;
  }
}
