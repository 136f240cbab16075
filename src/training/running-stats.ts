/**
 * Running summaries of a never-ending stream of numbers.
 *
 * - `Ema`: exponential moving average parameterized by a half-life in observations: after `halfLife`
 *   updates an observation's weight has halved, i.e. decay = 2^(-1/halfLife). It is bias-corrected like
 *   Adam's moments (divide by 1 - decay^n), so the first values are not dragged towards 0.
 * - `RollingMean`: exact mean of the last `window` observations (ring buffer, O(1) per update).
 */
export class Ema {
  private readonly decay: number;
  private weighted = 0;
  private count = 0;

  constructor(readonly halfLife: number) {
    if (!(halfLife > 0)) throw new RangeError(`Ema: halfLife must be > 0, got ${halfLife}`);
    this.decay = Math.pow(2, -1 / halfLife);
  }

  update(value: number): void {
    this.weighted = this.decay * this.weighted + (1 - this.decay) * value;
    this.count++;
  }

  /** NaN before the first update. */
  get value(): number {
    return this.count === 0 ? Number.NaN : this.weighted / (1 - Math.pow(this.decay, this.count));
  }

  getState(): { weighted: number; count: number } {
    return { weighted: this.weighted, count: this.count };
  }

  setState(state: { weighted: number; count: number }): void {
    this.weighted = state.weighted;
    this.count = state.count;
  }
}

export class RollingMean {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;
  private sum = 0;

  constructor(readonly window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`RollingMean: window must be an integer >= 1, got ${window}`);
    this.values = new Float64Array(window);
  }

  update(value: number): void {
    if (this.filled === this.window) this.sum -= this.values[this.next];
    else this.filled++;
    this.values[this.next] = value;
    this.sum += value;
    // Re-sum once per lap so floating-point drift of the running sum cannot accumulate forever.
    if (++this.next === this.window) {
      this.next = 0;
      let s = 0;
      for (let i = 0; i < this.filled; i++) s += this.values[i];
      this.sum = s;
    }
  }

  get count(): number {
    return this.filled;
  }

  /** NaN while empty. */
  get value(): number {
    return this.filled === 0 ? Number.NaN : this.sum / this.filled;
  }

  getState(): { values: number[]; next: number; filled: number } {
    return { values: Array.from(this.values), next: this.next, filled: this.filled };
  }

  setState(state: { values: number[]; next: number; filled: number }): void {
    if (state.values.length !== this.window) throw new RangeError(`RollingMean: state window ${state.values.length} != ${this.window}`);
    this.values.set(state.values);
    this.next = state.next;
    this.filled = state.filled;
    let s = 0;
    for (let i = 0; i < this.filled; i++) s += this.values[i];
    this.sum = s;
  }
}
