import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import { SoftmaxCrossEntropyLoss } from './softmax-cross-entropy.js';

// The unweighted, unsmoothed loss on class indices takes a branch-free loop (plainIndexRows). Unit class
// weights send the same batch through the general loop, whose extra factors are all exact (1·x, 0 + x,
// a sum of ones for the normaliser), so the two must agree to the bit. torch-parity.test.ts checks both
// against PyTorch.
describe('softmax_cross_entropy: the plain index-target loop', () => {
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`is bit-identical to the general loop (${reduction}, ${dtype})`, () => {
        const rng = new Rng(11);
        const rows = 37;
        const classes = 5;
        const scores = dtype === 'float32' ? new Float32Array(rows * classes) : new Float64Array(rows * classes);
        for (let i = 0; i < scores.length; i++) scores[i] = rng.normal() * (i % 7 === 0 ? 40 : 3);
        scores[3] = 1e4; // a row far from the others: exp underflows to 0 for the rest of it
        const targets = new Int32Array(rows);
        for (let i = 0; i < rows; i++) targets[i] = Math.floor(rng.uniform() * classes);

        const plain = new SoftmaxCrossEntropyLoss({ reduction }).compute(scores, targets, rows);
        const value = plain.value;
        const values = Array.from(plain.values as Float64Array);
        const grad = Array.from(plain.grad);
        const general = new SoftmaxCrossEntropyLoss({ reduction, classWeights: [1, 1, 1, 1, 1] }).compute(scores, targets, rows);
        expect(Object.is(value, general.value)).toBe(true);
        expect(values).toEqual(Array.from(general.values as Float64Array));
        expect(grad).toEqual(Array.from(general.grad));
      });
    }
  }
});
