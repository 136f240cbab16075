import { describe, expect, it } from 'vitest';
import { LearnerError, ShapeError } from '../errors.js';
import { Rng } from '../math/rng.js';
import { createModel } from './registry.js';

function normals(seed: number, length: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.normal();
  return out;
}

function copies(grads: Record<string, ArrayLike<number>>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, Array.from(g)]));
}

const CONFIG = { type: 'mlp', inputs: 3, hidden: [5, 4], outputs: 2, activation: 'tanh', dtype: 'float64' } as const;

describe('feed-forward model buffers and state', () => {
  it('a hand-sized network: y = W1 relu(W0 x + b0) + b1', () => {
    const model = createModel({ type: 'mlp', inputs: 2, hidden: [2], outputs: 1, dtype: 'float64' });
    model.setParameters({
      'dense0.weight': [1, 0, 0, -1],
      'dense0.bias': [0, 1],
      'dense1.weight': [2, 3],
      'dense1.bias': [0.5],
    });
    // x = [1, 2]: hidden pre-activation [1, -1] -> relu [1, 0]; y = 2·1 + 3·0 + 0.5 = 2.5.
    const y = model.forward(Float64Array.from([1, 2]), 1);
    expect(Array.from(y)).toEqual([2.5]);
    // dy = 1: dW1 = [1, 0], db1 = 1; hidden grad [2, 3] ⊙ relu' [1, 0] = [2, 0]: dW0 = [[2, 4], [0, 0]], db0 = [2, 0].
    expect(copies(model.backward(Float64Array.from([1])))).toEqual({
      'dense0.weight': [2, 4, 0, 0],
      'dense0.bias': [2, 0],
      'dense1.weight': [1, 0],
      'dense1.bias': [1],
    });
  });

  it('returns exactly batchSize x outputs values in the model dtype, for growing and shrinking batches', () => {
    const model = createModel(CONFIG, { seed: 3 });
    const x = normals(1, 7 * 3);
    const full = Array.from(model.predict(x, 7));
    for (const batchSize of [2, 7, 1, 5]) {
      const out = model.forward(x.subarray(0, batchSize * 3), batchSize);
      expect(out).toBeInstanceOf(Float64Array);
      expect(out.length).toBe(batchSize * 2);
      // Rows are independent, so each batch agrees with the leading rows of the full batch.
      expect(Array.from(out)).toEqual(full.slice(0, batchSize * 2));
    }
  });

  it('predict between forward and backward leaves the training step untouched', () => {
    const model = createModel(CONFIG, { seed: 3 });
    const x = normals(1, 4 * 3);
    const g = normals(2, 4 * 2);
    model.forward(x, 4);
    const expected = copies(model.backward(g));

    const out = model.forward(x, 4);
    const before = Array.from(out);
    model.predict(normals(9, 16 * 3), 16); // larger batch: predict grows its own buffers only
    expect(Array.from(out)).toEqual(before);
    expect(copies(model.backward(g))).toEqual(expected);
  });

  it('backward overwrites the gradients (no accumulation across calls)', () => {
    const model = createModel(CONFIG, { seed: 3 });
    const x = normals(1, 4 * 3);
    const g = normals(2, 4 * 2);
    model.forward(x, 4);
    const once = copies(model.backward(g));
    expect(copies(model.backward(g))).toEqual(once);
  });

  it('does not read the caller input after forward returns, and accepts float32 input in a float64 model', () => {
    const model = createModel(CONFIG, { seed: 3 });
    const x = normals(1, 2 * 3);
    const x32 = Float32Array.from(x);
    const g = normals(2, 2 * 2);
    model.forward(x32, 2);
    const expected = copies(model.backward(g));
    model.forward(x32, 2);
    x32.fill(0);
    expect(copies(model.backward(g))).toEqual(expected);
  });

  it('setParameters checks names and lengths before writing anything; getParameters copies', () => {
    const model = createModel({ type: 'linear', inputs: 2, outputs: 1, dtype: 'float64' });
    const good = { 'dense0.weight': [1, 2], 'dense0.bias': [3] };
    model.setParameters(good);
    expect(() => model.setParameters({ ...good, 'dense1.weight': [1] })).toThrow(
      "unknown parameter 'dense1.weight'; expected dense0.weight, dense0.bias",
    );
    expect(() => model.setParameters({ 'dense0.weight': [9, 9] })).toThrow("missing parameter 'dense0.bias'");
    expect(() => model.setParameters({ 'dense0.weight': [9, 9], 'dense0.bias': [9, 9] })).toThrow(
      "parameter 'dense0.bias' needs 1 values, got 2",
    );
    expect(() => model.setParameters({ 'dense0.weight': [9], 'dense0.bias': [9] })).toThrow(ShapeError);
    expect(copies(model.params)).toEqual(good);

    const snapshot = model.getParameters();
    model.params['dense0.weight'][0] = 100;
    expect(Array.from(snapshot['dense0.weight'])).toEqual([1, 2]);
  });

  it('rejects bad shapes and a backward without forward', () => {
    const model = createModel(CONFIG, { seed: 3 });
    expect(() => model.backward(new Float64Array(2))).toThrow(LearnerError);
    expect(() => model.backward(new Float64Array(2))).toThrow('backward called before any forward');
    expect(() => model.forward(new Float64Array(5), 2)).toThrow('x has 5 values, expected batchSize 2 x inputs 3');
    expect(() => model.predict(new Float64Array(0), 0)).toThrow('batchSize must be an integer >= 1, got 0');
    model.forward(new Float64Array(6), 2);
    expect(() => model.backward(new Float64Array(3))).toThrow(
      'backward: gradOutputs has 3 values, expected batchSize 2 x outputs 2',
    );
  });
});
