/**
 * Summary statistics of one tensor's values (the per-tensor effective learning rates): min, mean, max and
 * quantiles. Quantiles interpolate linearly between order statistics, numpy's default `linear` method
 * (Hyndman & Fan 1996, definition 7): with the n values sorted as x_0 <= ... <= x_{n-1},
 *
 *   h = (n - 1) q,   Q(q) = x_floor(h) + (h - floor(h)) (x_floor(h)+1 - x_floor(h))
 *
 * The mean is accumulated in double precision whatever the tensor's dtype. Sorting needs a copy: it is
 * made into one scratch buffer that grows to the largest tensor and is then reused scrape after scrape.
 */
import type { Tensor } from '../math/tensor.js';

export interface TensorStats {
  min: number;
  mean: number;
  max: number;
  /** One per requested quantile, in the order requested. */
  readonly quantiles: Float64Array;
}

export class TensorSummarizer {
  private scratch = new Float64Array(0);

  /** `quantiles`: each in [0, 1]. */
  constructor(readonly quantiles: readonly number[]) {}

  createStats(): TensorStats {
    return { min: Number.NaN, mean: Number.NaN, max: Number.NaN, quantiles: new Float64Array(this.quantiles.length) };
  }

  /** Writes the statistics of `values` into `out`; NaN everywhere for an empty tensor. */
  summarize(values: Tensor, out: TensorStats): void {
    const n = values.length;
    if (n === 0) {
      out.min = out.mean = out.max = Number.NaN;
      out.quantiles.fill(Number.NaN);
      return;
    }
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    out.min = min;
    out.mean = sum / n;
    out.max = max;
    if (this.quantiles.length === 0) return;
    if (this.scratch.length < n) this.scratch = new Float64Array(n);
    const sorted = this.scratch.subarray(0, n);
    sorted.set(values);
    sorted.sort();
    for (let k = 0; k < this.quantiles.length; k++) {
      const h = (n - 1) * this.quantiles[k];
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, n - 1);
      out.quantiles[k] = sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
  }
}
