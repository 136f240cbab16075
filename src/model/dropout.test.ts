import { describe, expect, it } from 'vitest';
import { LearnerError } from '../errors.js';
import { Rng } from '../math/rng.js';
import { dropoutBackward, dropoutForward } from './dropout.js';
import { createModel } from './registry.js';

function normals(seed: number, length: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.normal();
  return out;
}

describe('dropoutForward / dropoutBackward', () => {
  it('keeps each element with probability 1-p, scaled by 1/(1-p), so the mean is preserved', () => {
    const n = 100_000;
    const p = 0.3;
    const x = new Float64Array(n).fill(1);
    const y = new Float64Array(n);
    const mask = new Float64Array(n);
    dropoutForward(p, x, y, mask, n, new Rng(1));
    let zeros = 0;
    let kept = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (y[i] === 0) zeros++;
      else if (y[i] === 1 / 0.7) kept++;
      sum += y[i];
    }
    expect(zeros + kept).toBe(n);
    // Standard errors: dropped fraction sqrt(0.21/n) ~ 1.4e-3; mean sqrt(p/(1-p)/n) ~ 2.1e-3.
    expect(Math.abs(zeros / n - p)).toBeLessThan(0.007);
    expect(Math.abs(sum / n - 1)).toBeLessThan(0.01);
  });

  it('backward multiplies by the same scaled mask', () => {
    const x = Float64Array.from([2, 3, 4, 5]);
    const y = new Float64Array(4);
    const mask = new Float64Array(4);
    dropoutForward(0.5, x, y, mask, 4, new Rng(3));
    const g = Float64Array.from([1, 1, 1, 1]);
    dropoutBackward(g, mask, 4);
    for (let i = 0; i < 4; i++) {
      expect(mask[i] === 0 || mask[i] === 2).toBe(true);
      expect(y[i]).toBe(x[i] * mask[i]);
      expect(g[i]).toBe(mask[i]);
    }
  });
});

describe('dropout in an mlp', () => {
  const config = { type: 'mlp', inputs: 4, hidden: [32, 16], outputs: 3, activation: 'relu', dropout: 0.5 } as const;
  const x = normals(5, 8 * 4);

  it('is the identity at inference: forward(training: false) and predict equal the same net without dropout', () => {
    const model = createModel(config, { seed: 1 });
    const plain = createModel({ ...config, dropout: 0 }, { seed: 1 });
    const expected = Array.from(plain.predict(x, 8));
    expect(Array.from(model.predict(x, 8))).toEqual(expected);
    expect(Array.from(model.forward(x, 8, { training: false }))).toEqual(expected);
    expect(Array.from(plain.forward(x, 8, { training: true }))).toEqual(expected);
  });

  it('draws the same mask for the same Rng seed and a different one for another seed', () => {
    const model = createModel(config, { seed: 1 });
    const a = Array.from(model.forward(x, 8, { rng: new Rng(9) }));
    const b = Array.from(model.forward(x, 8, { rng: new Rng(9) }));
    const c = Array.from(model.forward(x, 8, { rng: new Rng(10) }));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a).not.toEqual(Array.from(model.predict(x, 8)));
  });

  it('draws one uniform per element of each layer with p > 0, and nothing for p = 0', () => {
    const model = createModel({ ...config, dropout: [0, 0.25] }, { seed: 1 });
    const rng = new Rng(4);
    model.forward(x, 8, { rng });
    const expected = new Rng(4);
    for (let i = 0; i < 8 * 16; i++) expected.uniform();
    expect(rng.getState()).toEqual(expected.getState());

    const none = createModel({ ...config, dropout: 0 }, { seed: 1 });
    const untouched = new Rng(4);
    none.forward(x, 8, { rng: untouched });
    expect(untouched.getState()).toEqual(new Rng(4).getState());
  });

  it('requires an Rng in training mode when some layer drops', () => {
    const model = createModel(config, { seed: 1 });
    expect(() => model.forward(x, 8)).toThrow(LearnerError);
    expect(() => model.forward(x, 8)).toThrow(/options\.rng/);
    expect(() => createModel({ ...config, dropout: 0 }).forward(x, 8)).not.toThrow();
  });
});
