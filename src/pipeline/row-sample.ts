/**
 * A Sample whose features are one row of a block shared by its record's samples (the binary decoder's
 * records, binary-decode.ts). One object per sample instead of two: a typed-array view of the row cost
 * more to make than the rest of the sample's decoding, and was half of the binary path's garbage.
 *
 * The Learner reads `rows` at `offset` directly (it standardizes the row in place and copies it into the
 * minibatch). `x`, for every other reader (checkpoint capture, the standardize operator, tests), is a view
 * of the row made on each read: the same memory, so a write through it is a write to the row.
 */
import type { Tensor } from '../math/tensor.js';
import type { Origin } from '../sources/types.js';
import type { Sample, SamplePart } from './sample.js';

export class RowSample implements Sample {
  readonly kind = 'sample' as const;

  constructor(
    /** The record's rows, row-major, in the model's dtype. */
    readonly rows: Tensor,
    /** Index in `rows` of this sample's first feature. */
    readonly offset: number,
    /** Features per row. */
    readonly width: number,
    readonly y: number | Float64Array,
    readonly weight: number,
    readonly origin: Origin,
    /** Undefined for a record of one sample (acknowledged like a JSON record). */
    readonly part: SamplePart | undefined,
  ) {}

  get x(): Tensor {
    return this.rows.subarray(this.offset, this.offset + this.width);
  }
}
