import { describe, expect, it } from 'vitest';
import { RowSample } from './row-sample.js';

describe('RowSample', () => {
  it("gives x as a view of the sample's row: the same values, and a write through it reaches the row", () => {
    const rows = Float32Array.of(1, 2, 3, 4, 5, 6);
    const sample = new RowSample(rows, 3, 3, 0, 1, { kind: 'memory', index: 0 }, { index: 1, count: 2 });
    expect(sample.x).toBeInstanceOf(Float32Array);
    expect(Array.from(sample.x)).toEqual([4, 5, 6]);
    sample.x[0] = 40;
    expect(rows[3]).toBe(40);
  });
});
