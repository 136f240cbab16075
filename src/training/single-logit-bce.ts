/**
 * Forward, loss and backward fused for the commonest online learner: one dense layer with a single
 * output read as a logit (logistic regression on logits) trained with bce_with_logits. Per row r of a
 * batch of B, with z_r = x_r · w + b:
 *
 *   l_r = (1 - y_r) z_r - logSigmoid(z_r)      dL/dz_r = (sigmoid(z_r) - y_r) / B   (mean; / 1 for sum)
 *   dW = Σ_r dL/dz_r x_r                        db = Σ_r dL/dz_r
 *
 * The same arithmetic as FeedForwardModel.forward → BceWithLogitsLoss.compute → FeedForwardModel.backward
 * (bce-with-logits.ts, whose formulas and order this repeats, and the Dense kernels themselves), with
 * the same rounding points: logits and dL/dz are stored in the model's dtype before they are read
 * again. What it skips is the generic work around them: the copy of x into the model's buffers, the
 * shape checks a Trainer-built batch already passes, and the per-layer dispatch. The Trainer picks it
 * automatically (`select`) and falls back to the general path for any batch it does not `accept`
 * (weighted rows, another dtype, unexpected shapes), so errors and weighted losses stay where they were.
 */
import { BceWithLogitsLoss } from '../losses/bce-with-logits.js';
import { expNegAbs, logSigmoidFrom, sigmoidFrom } from '../losses/logistic.js';
import type { Loss } from '../losses/types.js';
import { checkUnitTarget } from '../losses/validation.js';
import { allocate, dtypeOf, type DType, type ParamMap, type Tensor } from '../math/tensor.js';
import type { Dense } from '../model/dense.js';
import { FeedForwardModel } from '../model/feed-forward.js';
import type { Model } from '../model/types.js';
import type { Minibatch } from './minibatch.js';

export class SingleLogitBce {
  /** z and dL/dz for the current batch, in the model's dtype; grown with the largest batch seen. */
  private logits: Tensor;
  private gradLogits: Tensor;
  private logitsView: Tensor;
  private gradView: Tensor;
  /** Each row's loss l_r of the last `loss` call (-log p(y_r) for a 0/1 target): the quality tracker's log-loss. */
  private rowLossBuffer = new Float64Array(1);
  private rowLossView = this.rowLossBuffer;
  private viewSize = 0;

  private constructor(
    private readonly layer: Dense,
    private readonly grads: ParamMap,
    private readonly dtype: DType,
    private readonly mean: boolean,
  ) {
    this.logits = allocate(dtype, 1);
    this.gradLogits = allocate(dtype, 1);
    this.logitsView = this.logits;
    this.gradView = this.gradLogits;
  }

  /** The fused path for this model and loss, or null when they are not a single logit with bce_with_logits. */
  static select(model: Model, loss: Loss): SingleLogitBce | null {
    if (!(model instanceof FeedForwardModel)) return null;
    const layer = model.soleLayer();
    if (layer === null || layer.outputs !== 1) return null;
    if (!(loss instanceof BceWithLogitsLoss) || loss.posWeight !== undefined || loss.reduction === 'none') return null;
    return new SingleLogitBce(layer, model.grads, model.dtype, loss.reduction === 'mean');
  }

  /** Unit weights, inputs already in the model's dtype, and one row of inputs and one target per sample. */
  accepts(batch: Minibatch): boolean {
    const size = batch.size;
    return (
      batch.weights === null &&
      Number.isInteger(size) &&
      size >= 1 &&
      batch.x.length === size * this.layer.inputs &&
      batch.targets.length === size &&
      dtypeOf(batch.x) === this.dtype
    );
  }

  /** z = x wᵀ + b for an accepted batch; the returned view is overwritten by the next call. */
  forward(batch: Minibatch): Tensor {
    const size = batch.size;
    if (size !== this.viewSize) this.resize(size);
    this.layer.forward(batch.x, this.logitsView, size);
    return this.logitsView;
  }

  /** The batch's loss (mean or sum); dL/dz is kept for `backward`. Throws on a target outside [0, 1]. */
  loss(batch: Minibatch): number {
    const z = this.logitsView;
    const g = this.gradView;
    const rowLoss = this.rowLossView;
    const targets = batch.targets;
    const n = batch.size;
    const norm = this.mean ? n : 1;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      checkUnitTarget('bce_with_logits', targets, i);
      const x = z[i];
      const y = targets[i];
      const e = expNegAbs(x);
      const l = (1 - y) * x - logSigmoidFrom(x, e);
      rowLoss[i] = l;
      sum += l;
      g[i] = (sigmoidFrom(x, e) - y) / norm;
    }
    return this.mean ? sum / n : sum;
  }

  /** Each row's loss from the last `loss` call; overwritten by the next one. */
  get rowLosses(): Float64Array {
    return this.rowLossView;
  }

  /** Overwrites the model's gradients from the last `loss`, as FeedForwardModel.backward does. */
  backward(batch: Minibatch): ParamMap {
    this.layer.backwardParams(batch.x, this.gradView, batch.size);
    return this.grads;
  }

  private resize(size: number): void {
    if (this.logits.length < size) {
      this.logits = allocate(this.dtype, size);
      this.gradLogits = allocate(this.dtype, size);
      this.rowLossBuffer = new Float64Array(size);
    }
    this.logitsView = this.logits.subarray(0, size);
    this.gradView = this.gradLogits.subarray(0, size);
    this.rowLossView = this.rowLossBuffer.subarray(0, size);
    this.viewSize = size;
  }
}
