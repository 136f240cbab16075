import { describe, expect, it } from 'vitest';
import { MinibatchAssembler } from './minibatch.js';

describe('MinibatchAssembler', () => {
  it('packs class labels as indices and drops unit weights', () => {
    const a = new MinibatchAssembler(2, 3, 'float32', 'class_index', 1);
    const b = a.assemble([
      { x: [1, 2], y: 2, weight: 1 },
      { x: [3, 4], y: 0, weight: 1 },
    ]);
    expect(b.size).toBe(2);
    expect(Array.from(b.x)).toEqual([1, 2, 3, 4]);
    expect(b.targets).toBeInstanceOf(Int32Array);
    expect(Array.from(b.targets)).toEqual([2, 0]);
    expect(b.weights).toBeNull();
  });

  it('switches the whole batch to one-hot rows when one label is a probability row', () => {
    const a = new MinibatchAssembler(1, 3, 'float64', 'class_index');
    const b = a.assemble([
      { x: [0], y: 1, weight: 2 },
      { x: [0], y: [0.2, 0.3, 0.5], weight: 1 },
    ]);
    expect(Array.from(b.targets)).toEqual([0, 1, 0, 0.2, 0.3, 0.5]);
    expect(Array.from(b.weights!)).toEqual([2, 1]);
  });

  it('packs regression targets densely and rejects shape mistakes', () => {
    const a = new MinibatchAssembler(2, 1, 'float32', 'dense');
    expect(Array.from(a.assemble([{ x: [1, 1], y: 0.5, weight: 1 }]).targets)).toEqual([0.5]);
    expect(() => a.assemble([{ x: [1], y: 0.5, weight: 1 }])).toThrow(/1 features, the model takes 2/);
    expect(() => a.assemble([])).toThrow(/at least one/);
  });

  it('returns the same minibatch object for the same size, with fresh contents, and resizes past its capacity', () => {
    const a = new MinibatchAssembler(2, 1, 'float32', 'dense', 2);
    const first = a.assemble([{ x: [1, 2], y: 1, weight: 1 }]);
    const second = a.assemble([{ x: Float32Array.from([3, 4]), y: 0, weight: 0.5 }]);
    expect(second).toBe(first);
    expect(Array.from(second.x)).toEqual([3, 4]);
    expect(Array.from(second.targets)).toEqual([0]);
    expect(Array.from(second.weights!)).toEqual([0.5]);
    const three = [0, 1, 2].map((i) => ({ x: [i, -i], y: i % 2, weight: 1 }));
    const grown = a.assemble(three);
    expect(grown.size).toBe(3);
    expect(Array.from(grown.x)).toEqual([0, -0, 1, -1, 2, -2]);
    expect(Array.from(grown.targets)).toEqual([0, 1, 0]);
    expect(grown.weights).toBeNull();
    const back = a.assemble([{ x: [5, 6], y: 1, weight: 1 }]);
    expect(back.size).toBe(1);
    expect(Array.from(back.x)).toEqual([5, 6]);
  });

  it('passes a lone row of the model\'s dtype through without copying, and copies every other row', () => {
    const a = new MinibatchAssembler(3, 1, 'float32', 'dense');
    const row = Float32Array.from([1.5, -2, 0.25]);
    const lone = a.assemble([{ x: row, y: 1, weight: 1 }]);
    expect(lone.x).toBe(row);
    expect(Array.from(lone.targets)).toEqual([1]);
    // Another dtype, a plain array, a row inside a block, or a second row: copied into the assembler's buffer.
    const wide = Float64Array.from([0.1, 0.2, 0.3]);
    const copied = a.assemble([{ x: wide, y: 0, weight: 1 }]);
    expect(copied.x).not.toBe(wide);
    expect(copied.x).toBeInstanceOf(Float32Array);
    expect(Array.from(copied.x)).toEqual(Array.from(Float32Array.from(wide)));
    expect(a.assemble([{ x: [7, 8, 9], y: 0, weight: 1 }]).x).toEqual(Float32Array.from([7, 8, 9]));
    const block = Float32Array.from([0, 0, 0, 4, 5, 6]);
    const fromBlock = a.assemble([{ x: block, xOffset: 3, y: 0, weight: 1 }]);
    expect(fromBlock.x).not.toBe(block);
    expect(Array.from(fromBlock.x)).toEqual([4, 5, 6]);
    const pair = a.assemble([
      { x: row, y: 1, weight: 1 },
      { x: Float32Array.from([3, 2, 1]), y: 0, weight: 1 },
    ]);
    expect(Array.from(pair.x)).toEqual([1.5, -2, 0.25, 3, 2, 1]);
    // The assembler never wrote into the row it passed through.
    expect(Array.from(row)).toEqual([1.5, -2, 0.25]);
    // Back at one row of the right dtype, after the copies: passed through again.
    expect(a.assemble([{ x: row, y: 1, weight: 1 }]).x).toBe(row);
  });

  it('reads an example\'s features from xOffset in a shared block of rows, and refuses a row that does not fit', () => {
    const a = new MinibatchAssembler(2, 3, 'float32', 'class_index');
    const block = Float32Array.from([10, 11, 20, 21, 30, 31]);
    const batch = a.assemble([
      { x: block, xOffset: 4, y: 2, weight: 1 },
      { x: block, xOffset: 0, y: 0, weight: 1 },
    ]);
    expect(Array.from(batch.x)).toEqual([30, 31, 10, 11]);
    expect(Array.from(batch.targets)).toEqual([2, 0]);
    expect(() => a.assemble([{ x: block, xOffset: 5, y: 0, weight: 1 }])).toThrow('example 0: 2 features from xOffset 5 do not fit in its 6 values');
    expect(() => a.assemble([{ x: block, xOffset: -1, y: 0, weight: 1 }])).toThrow(/xOffset -1 do not fit/);
  });
});

