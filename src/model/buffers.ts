/**
 * Per-batch working memory of a feed-forward network, allocated for a batch capacity and reused: a
 * smaller batch uses the leading rows, a larger one reallocates (the only allocation on the hot path,
 * and it happens once per new maximum batch size).
 */
import { allocate, type DType, type Tensor } from '../math/tensor.js';

export interface BufferLayout {
  readonly dtype: DType;
  readonly inputs: number;
  /** Width of every dense layer's output, hidden layers first, the model's outputs last. */
  readonly widths: readonly number[];
  /** Dropout probability after each hidden layer (widths.length - 1 entries). */
  readonly dropout: readonly number[];
  /** Whether backward buffers (gradients, masks, dropout outputs) are needed. */
  readonly training: boolean;
  /** Whether the output activation needs its own gradient buffer (not identity). */
  readonly outputGrad: boolean;
}

export class BatchBuffers {
  capacity = 0;
  /** The input batch copied in the model's dtype (kernels then see one array type). */
  input: Tensor;
  /** Dense layer l's output; activations are applied in place, so after forward it holds f(z). */
  readonly activations: Tensor[] = [];
  /** Dropout output after hidden layer l, or null when that layer has no dropout. */
  readonly dropped: (Tensor | null)[] = [];
  /** Scaled dropout masks, parallel to `dropped`. */
  readonly masks: (Tensor | null)[] = [];
  /** d(loss)/d(dense l output) for hidden layers; the last entry is the output activation's, or null. */
  readonly grads: (Tensor | null)[] = [];
  private outputView: Tensor;
  private viewBatch = 0;

  constructor(private readonly layout: BufferLayout) {
    this.input = allocate(layout.dtype, 0);
    this.outputView = this.input;
  }

  /** Makes room for `batchSize` rows. */
  ensure(batchSize: number): void {
    if (batchSize <= this.capacity) return;
    const { dtype, inputs, widths, dropout, training, outputGrad } = this.layout;
    this.input = allocate(dtype, batchSize * inputs);
    const last = widths.length - 1;
    for (let l = 0; l <= last; l++) {
      const size = batchSize * widths[l];
      this.activations[l] = allocate(dtype, size);
      const hasDropout = training && l < last && dropout[l] > 0;
      this.dropped[l] = hasDropout ? allocate(dtype, size) : null;
      this.masks[l] = hasDropout ? allocate(dtype, size) : null;
      const hasGrad = training && (l < last || outputGrad);
      this.grads[l] = hasGrad ? allocate(dtype, size) : null;
    }
    this.capacity = batchSize;
    this.viewBatch = 0;
  }

  /** The model output for exactly `batchSize` rows (a cached view; re-created only when the size changes). */
  output(batchSize: number): Tensor {
    if (this.viewBatch !== batchSize) {
      const width = this.layout.widths[this.layout.widths.length - 1];
      this.outputView = this.activations[this.activations.length - 1].subarray(0, batchSize * width);
      this.viewBatch = batchSize;
    }
    return this.outputView;
  }
}
