import { ShapeError } from '../errors.js';
import type { DType, Tensor } from '../math/tensor.js';
import { allocate } from '../math/tensor.js';

/**
 * What training needs of a decoded sample. The pipeline's Sample (with its origin) satisfies it;
 * core code does not depend on where samples come from.
 */
export interface LabeledExample {
  /** The features: all of `x`, or with `xOffset` the model's `inputs` values of `x` from there. */
  readonly x: ArrayLike<number>;
  /**
   * Where the features start in `x` when `x` holds more than one sample's (a binary record's block of
   * rows): the assembler copies them from there, so no per-sample view or copy has to be made first.
   */
  readonly xOffset?: number;
  /** A class index, a regression value, or a target row (multi-output regression / probabilities). */
  readonly y: number | ArrayLike<number>;
  readonly weight: number;
}

/**
 * One minibatch as the model and the loss want it: row-major inputs [size x inputs] and targets either
 * as class indices (one per row) or as a dense row-major [size x outputs] block.
 */
export interface Minibatch {
  readonly size: number;
  readonly x: Tensor;
  readonly targets: Int32Array | Float64Array;
  /** Per-row sample weights; null when every weight is 1 (the common case takes the loss's own reduction). */
  readonly weights: Float64Array | null;
}

export type TargetLayout = 'class_index' | 'dense';

/**
 * Packs examples into reusable buffers. The returned Minibatch views buffers owned by the assembler:
 * they are overwritten by the next `assemble` call. Nothing is allocated per call: the views (and the
 * Minibatch object itself) are re-created only when the batch size changes, because a typed-array view
 * costs more to create than a small batch costs to copy.
 *
 * One exception, for batch size 1 (River's learn_one way of training): an example whose `x` is already
 * a whole row in the model's dtype (what the JSON decoder allocates for each sample) is not copied; the
 * minibatch's `x` is that array itself. Nothing downstream writes into a minibatch's inputs, and the copy
 * was a quarter of a logistic-regression step at batch 1.
 */
export class MinibatchAssembler {
  private x: Tensor;
  private classTargets: Int32Array;
  private denseTargets: Float64Array;
  private weights: Float64Array;
  /** Views of the leading `viewSize` rows of each buffer, and the Minibatch returned over them. */
  private viewSize = 0;
  private classView: Int32Array;
  private denseView: Float64Array;
  private weightsView: Float64Array;
  /** The leading `viewSize` rows of `x`: the minibatch's inputs unless a lone row is passed through. */
  private xView: Tensor;
  private readonly batch: { size: number; x: Tensor; targets: Int32Array | Float64Array; weights: Float64Array | null };

  constructor(
    readonly inputs: number,
    readonly outputs: number,
    readonly dtype: DType,
    /** class_index for multiclass losses over scalar labels; dense for regression and binary (0/1 per output). */
    readonly layout: TargetLayout,
    initialCapacity = 32,
  ) {
    this.x = allocate(dtype, initialCapacity * inputs);
    this.classTargets = new Int32Array(initialCapacity);
    this.denseTargets = new Float64Array(initialCapacity * outputs);
    this.weights = new Float64Array(initialCapacity);
    this.classView = this.classTargets;
    this.denseView = this.denseTargets;
    this.weightsView = this.weights;
    this.xView = this.x;
    this.batch = { size: 0, x: this.x, targets: this.classTargets, weights: null };
  }

  assemble(examples: readonly LabeledExample[]): Minibatch {
    const n = examples.length;
    if (n === 0) throw new ShapeError('a minibatch needs at least one example');
    this.ensureCapacity(n);
    if (n !== this.viewSize) this.createViews(n);
    const { inputs, x } = this;
    // A scalar target goes straight to where it belongs (the one-output dense column, or the class
    // index); only a target row, or a scalar where rows are needed, takes the second pass below.
    const scalarDense = this.layout === 'dense' && this.outputs === 1;
    let passedThrough: Tensor | null = null;
    let allScalar = true;
    let unitWeights = true;
    for (let r = 0; r < n; r++) {
      const e = examples[r];
      const row = e.x;
      const start = e.xOffset ?? 0;
      if (e.xOffset === undefined ? row.length !== inputs : !(Number.isInteger(start) && start >= 0 && start + inputs <= row.length)) {
        throw new ShapeError(
          e.xOffset === undefined
            ? `example ${r} has ${row.length} features, the model takes ${inputs}`
            : `example ${r}: ${inputs} features from xOffset ${start} do not fit in its ${row.length} values`,
        );
      }
      const offset = r * inputs;
      // A lone whole row of the model's dtype is used as it is (see the class comment).
      if (n === 1 && e.xOffset === undefined && isRowOf(row, this.dtype)) passedThrough = row;
      // A whole typed row goes through TypedArray.prototype.set (a memory copy between arrays of one
      // dtype): half the cost of an indexed loop for a 30-feature row, which reads and converts each
      // value. A row inside a larger block (xOffset) would need a view made first, which costs more
      // than the loop saves; plain arrays take the loop too.
      else if (e.xOffset === undefined && ArrayBuffer.isView(row)) x.set(row as Tensor, offset);
      else for (let j = 0; j < inputs; j++) x[offset + j] = row[start + j];
      const y = e.y;
      if (typeof y !== 'number') allScalar = false;
      else if (scalarDense) this.denseTargets[r] = y;
      else this.classTargets[r] = y;
      this.weights[r] = e.weight;
      if (e.weight !== 1) unitWeights = false;
    }
    // Index targets only when every label is a scalar; one probability row forces the dense form.
    const dense = this.layout === 'dense' || !allScalar;
    if (dense && !(allScalar && scalarDense)) {
      for (let r = 0; r < n; r++) this.writeDenseRow(r, examples[r].y);
    }
    const batch = this.batch;
    batch.x = passedThrough ?? this.xView;
    batch.targets = dense ? this.denseView : this.classView;
    batch.weights = unitWeights ? null : this.weightsView;
    return batch;
  }

  private createViews(n: number): void {
    this.classView = this.classTargets.subarray(0, n);
    this.denseView = this.denseTargets.subarray(0, n * this.outputs);
    this.weightsView = this.weights.subarray(0, n);
    this.batch.size = n;
    this.xView = this.x.subarray(0, n * this.inputs);
    this.viewSize = n;
  }

  private writeDenseRow(r: number, y: number | ArrayLike<number>): void {
    const { outputs } = this;
    const offset = r * outputs;
    if (typeof y !== 'number') {
      if (y.length !== outputs) throw new ShapeError(`example ${r} has ${y.length} targets, the model has ${outputs} outputs`);
      for (let j = 0; j < outputs; j++) this.denseTargets[offset + j] = y[j];
    } else if (this.layout === 'class_index') {
      // A scalar class label among probability rows becomes a one-hot row.
      for (let j = 0; j < outputs; j++) this.denseTargets[offset + j] = j === y ? 1 : 0;
    } else {
      if (outputs !== 1) throw new ShapeError(`example ${r} has a scalar target, the model has ${outputs} outputs`);
      this.denseTargets[offset] = y;
    }
  }

  private ensureCapacity(n: number): void {
    if (this.weights.length >= n) return;
    const capacity = Math.max(n, this.weights.length * 2);
    this.x = allocate(this.dtype, capacity * this.inputs);
    this.classTargets = new Int32Array(capacity);
    this.denseTargets = new Float64Array(capacity * this.outputs);
    this.weights = new Float64Array(capacity);
    this.viewSize = 0;
  }
}

/** A typed array of exactly the dtype's class: a row the model reads as it is. */
function isRowOf(row: ArrayLike<number>, dtype: DType): row is Tensor {
  return dtype === 'float32' ? row instanceof Float32Array : row instanceof Float64Array;
}
