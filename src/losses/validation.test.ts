// Bad minibatches fail fast with errors that say what is wrong: ShapeError for lengths, LossInputError
// for values outside a loss's domain (class index out of range, probabilities or binary targets outside [0, 1]).
import { describe, expect, it } from 'vitest';
import { LearnerError, ShapeError } from '../errors.js';
import { createLoss } from './registry.js';
import type { LossConfig } from './types.js';
import { LossInputError } from './validation.js';

const f64 = (...v: number[]) => Float64Array.from(v);

function failure(config: LossConfig, scores: Float64Array, targets: number[], batchSize: number): unknown {
  try {
    createLoss(config).compute(scores, targets, batchSize);
  } catch (err) {
    return err;
  }
  throw new Error('expected compute to throw');
}

describe('minibatch shapes', () => {
  it('rejects a batchSize that is not a positive integer', () => {
    for (const batchSize of [0, -1, 1.5, Number.NaN]) {
      const err = failure({ type: 'mse' }, f64(1, 2), [1, 2], batchSize);
      expect(err).toBeInstanceOf(ShapeError);
      expect((err as Error).message).toContain(`batchSize = ${batchSize} must be a positive integer`);
    }
  });

  it('rejects scores whose length is not a multiple of batchSize', () => {
    const err = failure({ type: 'softmax_cross_entropy' }, f64(1, 2, 3), [0, 1], 2);
    expect(err).toBeInstanceOf(ShapeError);
    expect((err as Error).message).toContain('scores has length 3');
  });

  it('rejects dense targets of the wrong length, naming the expected count', () => {
    for (const type of ['mse', 'bce', 'bce_with_logits', 'focal'] as const) {
      const err = failure({ type }, f64(0.5, 0.5, 0.5, 0.5), [1, 0, 1], 2);
      expect(err).toBeInstanceOf(ShapeError);
      expect((err as Error).message).toBe(
        `${type}: targets has length 3; expected one per score, 4 (batchSize 2 x 2 outputs)`,
      );
    }
  });

  it('rejects class targets that are neither one index per row nor one probability per score', () => {
    for (const type of ['cross_entropy', 'softmax_cross_entropy', 'multiclass_hinge'] as const) {
      const err = failure({ type }, f64(0.2, 0.3, 0.5, 0.1, 0.1, 0.8), [0, 1, 2], 2);
      expect(err).toBeInstanceOf(ShapeError);
      expect((err as Error).message).toContain('expected 2 class indices or 6 probabilities');
    }
  });

  it('rejects class weights that do not match the number of classes', () => {
    const err = failure({ type: 'softmax_cross_entropy', classWeights: [1, 2] }, f64(1, 2, 3), [0], 1);
    expect(err).toBeInstanceOf(ShapeError);
    expect((err as Error).message).toContain('classWeights has 2 entries but the scores have 3 classes');
  });
});

describe('values outside a loss domain', () => {
  it('rejects class indices out of range or not integers', () => {
    for (const type of ['cross_entropy', 'softmax_cross_entropy', 'multiclass_hinge'] as const) {
      for (const bad of [3, -1, 1.5, Number.NaN]) {
        const err = failure({ type }, f64(0.2, 0.3, 0.5, 0.1, 0.1, 0.8), [0, bad], 2);
        expect(err).toBeInstanceOf(LossInputError);
        expect((err as Error).message).toBe(`${type}: target[1] = ${bad} is not a class index in [0, 3)`);
      }
    }
  });

  it('bce rejects inputs outside [0, 1] and points to bce_with_logits', () => {
    const err = failure({ type: 'bce' }, f64(0.5, 1.5), [1, 0], 2);
    expect(err).toBeInstanceOf(LossInputError);
    expect((err as Error).message).toBe(
      'bce: input[1] = 1.5 is outside [0, 1]; bce takes probabilities (use bce_with_logits for logits)',
    );
  });

  it('cross_entropy rejects inputs outside [0, 1] and points to softmax_cross_entropy', () => {
    const err = failure({ type: 'cross_entropy' }, f64(2, -1), [0], 1);
    expect(err).toBeInstanceOf(LossInputError);
    expect((err as Error).message).toContain('use softmax_cross_entropy for logits');
  });

  it('binary losses and probability rows reject targets outside [0, 1], NaN included', () => {
    const cases: [LossConfig, number[]][] = [
      [{ type: 'bce' }, [0, 2]],
      [{ type: 'bce_with_logits' }, [0, -1]],
      [{ type: 'focal' }, [1, Number.NaN]],
      [{ type: 'cross_entropy' }, [0.5, 1.5]],
      [{ type: 'softmax_cross_entropy' }, [-0.5, 1.5]],
    ];
    for (const [config, targets] of cases) {
      const err = failure(config, f64(0.5, 0.5), targets, 1);
      expect(err, config.type).toBeInstanceOf(LossInputError);
      const pattern = new RegExp(`^${config.type}: target\\[\\d\\] = .* is outside \\[0, 1\\]$`);
      expect((err as Error).message).toMatch(pattern);
    }
  });

  it('multiclass_hinge rejects target rows that are soft, multi-hot or empty', () => {
    for (const row of [
      [0.5, 0.5, 0],
      [1, 1, 0],
      [0, 0, 0],
    ]) {
      const err = failure({ type: 'multiclass_hinge' }, f64(3.2, 5.1, -1.7), row, 1);
      expect(err).toBeInstanceOf(LossInputError);
      expect((err as Error).message).toContain('target row 0 is not one-hot');
    }
  });

  it('errors belong to the project hierarchy with stable codes', () => {
    const input = failure({ type: 'bce' }, f64(2), [1], 1) as LearnerError;
    const shape = failure({ type: 'mse' }, f64(1), [1, 2], 1) as LearnerError;
    expect(input).toBeInstanceOf(LearnerError);
    expect(input.code).toBe('LOSS_INPUT_INVALID');
    expect(shape.code).toBe('SHAPE_MISMATCH');
    expect(input.retriable).toBe(false);
  });

  it('lets NaN scores through as a NaN loss, for the trainer to dead-letter', () => {
    const { value, grad } = createLoss({ type: 'bce' }).compute(f64(Number.NaN), [1], 1);
    expect(value).toBeNaN();
    expect(grad[0]).toBeNaN();
  });
});
