// The hot path allocates nothing once the batch shape is stable: every loss returns the same result
// object and buffers on each call, and reallocates only when the batch size or the dtype changes.
import { describe, expect, it } from 'vitest';
import { createLoss, LOSS_TYPES, lossTask } from './registry.js';
import type { LossType } from './types.js';

function batch(type: LossType, rows: number): { scores: Float64Array; targets: number[] } {
  const classes = 3;
  const scores = Float64Array.from({ length: rows * classes }, (_, k) => 0.1 + 0.2 * ((k * 7) % 4));
  const targets =
    lossTask(type) === 'multiclass'
      ? Array.from({ length: rows }, (_, i) => i % classes)
      : Array.from({ length: rows * classes }, (_, k) => k % 2);
  return { scores, targets };
}

describe('loss results are owned by the loss and reused', () => {
  for (const type of LOSS_TYPES) {
    it(`${type}: same result and buffers across calls; new ones only for a new shape or dtype`, () => {
      const loss = createLoss({ type, reduction: 'sum' });
      const a = batch(type, 4);
      const first = loss.compute(a.scores, a.targets, 4);
      const { grad, values } = first;
      const firstValue = first.value;

      a.scores[0] = 0.95;
      const second = loss.compute(a.scores, a.targets, 4);
      expect(second).toBe(first);
      expect(second.grad).toBe(grad);
      expect(second.values).toBe(values);
      expect(second.value).not.toBe(firstValue);

      const b = batch(type, 2);
      const smaller = loss.compute(b.scores, b.targets, 2);
      expect(smaller.grad).not.toBe(grad);
      expect(smaller.grad.length).toBe(6);

      const asFloat32 = loss.compute(Float32Array.from(b.scores), b.targets, 2);
      expect(asFloat32.grad).toBeInstanceOf(Float32Array);
      expect(asFloat32.grad.length).toBe(6);
    });
  }
});
