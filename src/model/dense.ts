/**
 * A fully connected layer y = x Wᵀ + b with W of shape (outputs, inputs), like torch.nn.Linear
 * (https://pytorch.org/docs/stable/generated/torch.nn.Linear.html). Backward, for upstream dY = dL/dy:
 *
 *   dW = dYᵀ x      db = Σ_rows dY      dx = dY W
 *
 * The layer owns views of its parameter and gradient tensors; activations live in the model's buffers.
 * A single-output layer and a batch of one row take the kernels of dense-small.ts, bit-identical to the
 * general ones but without their tiling and stride arithmetic, which dominate at these sizes.
 */
import { gemvSingleOutput, outerProductSingleRow, weightGradSingleOutput } from '../math/dense-small.js';
import { columnSums, gemmNN, gemmNT, gemmTN } from '../math/gemm.js';
import type { Tensor } from '../math/tensor.js';

export class Dense {
  constructor(
    readonly inputs: number,
    readonly outputs: number,
    readonly weight: Tensor,
    readonly bias: Tensor,
    readonly gradWeight: Tensor,
    readonly gradBias: Tensor,
  ) {}

  /** y[batch × outputs] = x[batch × inputs] Wᵀ + b. */
  forward(x: Tensor, y: Tensor, batchSize: number): void {
    if (this.outputs === 1) return gemvSingleOutput(batchSize, this.inputs, x, this.weight, this.bias, y);
    gemmNT(batchSize, this.outputs, this.inputs, x, this.weight, this.bias, y);
  }

  /** Overwrites gradWeight and gradBias from the layer input x and upstream gradient gy. */
  backwardParams(x: Tensor, gy: Tensor, batchSize: number): void {
    if (batchSize === 1) return outerProductSingleRow(this.outputs, this.inputs, gy, x, this.gradWeight, this.gradBias);
    if (this.outputs === 1) return weightGradSingleOutput(batchSize, this.inputs, gy, x, this.gradWeight, this.gradBias);
    gemmTN(this.outputs, this.inputs, batchSize, gy, x, this.gradWeight);
    columnSums(batchSize, this.outputs, gy, this.gradBias);
  }

  /** gx[batch × inputs] = gy W. */
  backwardInput(gy: Tensor, gx: Tensor, batchSize: number): void {
    gemmNN(batchSize, this.inputs, this.outputs, gy, this.weight, gx);
  }
}
