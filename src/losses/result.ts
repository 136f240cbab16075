/**
 * The LossResult a loss returns, owned by the loss and overwritten by its next compute: its buffers are
 * reallocated only when the batch shape or the dtype of the scores changes, so a training loop with a
 * stable batch size allocates nothing per step.
 */
import { allocate, dtypeOf, type Tensor } from '../math/tensor.js';
import type { LossResult } from './types.js';

export class ReusedResult implements LossResult {
  value = 0;
  values = new Float64Array(0);
  grad: Tensor = new Float64Array(0);

  /** Sizes `values` to `count` losses and `grad` to the dtype and length of `scores`. */
  prepare(scores: Tensor, count: number): this {
    if (this.values.length !== count) this.values = new Float64Array(count);
    if (this.grad.length !== scores.length || dtypeOf(this.grad) !== dtypeOf(scores)) {
      this.grad = allocate(dtypeOf(scores), scores.length);
    }
    return this;
  }
}
