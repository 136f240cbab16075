import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { FocalLoss } from './focal.js';
import { MulticlassHingeLoss } from './multiclass-hinge.js';
import { createLoss, LOSS_TYPES, lossInputKind, lossTask } from './registry.js';
import { SoftmaxCrossEntropyLoss } from './softmax-cross-entropy.js';
import type { LossConfig } from './types.js';

describe('createLoss', () => {
  it('builds every loss type with reduction mean by default', () => {
    for (const type of LOSS_TYPES) {
      const loss = createLoss({ type } as LossConfig);
      expect(loss.type).toBe(type);
      expect(loss.reduction).toBe('mean');
    }
  });

  it('defaults focal to torchvision gamma = 2, alpha = 0.25 (but reduction mean), and hinge to margin 1', () => {
    const focal = createLoss({ type: 'focal' }) as FocalLoss;
    expect([focal.gamma, focal.alpha, focal.reduction]).toEqual([2, 0.25, 'mean']);
    expect((createLoss({ type: 'multiclass_hinge' }) as MulticlassHingeLoss).margin).toBe(1);
    const ce = createLoss({ type: 'softmax_cross_entropy' }) as SoftmaxCrossEntropyLoss;
    expect([ce.labelSmoothing, ce.classWeights]).toEqual([0, undefined]);
  });

  it('accepts alpha = -1 (no class weighting) and alpha at both ends of [0, 1]', () => {
    for (const alpha of [-1, 0, 1]) expect((createLoss({ type: 'focal', alpha }) as FocalLoss).alpha).toBe(alpha);
  });

  it('rejects bad options with the field, the value and the rule', () => {
    const types = 'mse, bce, bce_with_logits, focal, cross_entropy, softmax_cross_entropy, multiclass_hinge';
    const alphaRule = 'must be in [0, 1], or -1 for no class weighting';
    const cases: [unknown, string][] = [
      [{ type: 'hinge' }, `loss.type = "hinge" is invalid: must be one of ${types}`],
      [{ type: 'mse', reduction: 'avg' }, 'mse.reduction = "avg" is invalid: must be one of mean, sum, none'],
      [{ type: 'focal', gamma: -1 }, 'focal.gamma = -1 is invalid: must be a finite number >= 0'],
      [{ type: 'focal', alpha: 1.5 }, `focal.alpha = 1.5 is invalid: ${alphaRule}`],
      [{ type: 'focal', alpha: -0.5 }, `focal.alpha = -0.5 is invalid: ${alphaRule}`],
      [
        { type: 'bce_with_logits', posWeight: Number.NaN },
        'bce_with_logits.posWeight = NaN is invalid: must be a finite number >= 0',
      ],
      [
        { type: 'multiclass_hinge', margin: -1 },
        'multiclass_hinge.margin = -1 is invalid: must be a finite number >= 0',
      ],
      [
        { type: 'softmax_cross_entropy', labelSmoothing: 1.5 },
        'softmax_cross_entropy.labelSmoothing = 1.5 is invalid: must be a number in [0, 1]',
      ],
      [
        { type: 'softmax_cross_entropy', classWeights: [1, -2] },
        'softmax_cross_entropy.classWeights[1] = -2 is invalid: must be a finite number >= 0',
      ],
      [
        { type: 'softmax_cross_entropy', classWeights: [] },
        'softmax_cross_entropy.classWeights = [] is invalid: must be a non-empty array, one weight per class',
      ],
      [
        { type: 'softmax_cross_entropy', labelSmothing: 0.1 },
        'softmax_cross_entropy.labelSmothing = 0.1 is invalid: unknown option; ' +
          'the options are reduction, classWeights, labelSmoothing',
      ],
    ];
    for (const [config, message] of cases) {
      expect(() => createLoss(config as LossConfig)).toThrow(ConfigError);
      expect(() => createLoss(config as LossConfig)).toThrow(message);
    }
  });
});

describe('what each loss asks of the model and the task', () => {
  it('names the last layer and the task for every loss', () => {
    const table = Object.fromEntries(LOSS_TYPES.map((t) => [t, [lossInputKind(t), lossTask(t)]]));
    expect(table).toEqual({
      mse: ['values', 'regression'],
      bce: ['probabilities', 'binary'],
      bce_with_logits: ['logits', 'binary'],
      focal: ['logits', 'binary'],
      cross_entropy: ['probabilities', 'multiclass'],
      softmax_cross_entropy: ['logits', 'multiclass'],
      multiclass_hinge: ['scores', 'multiclass'],
    });
  });
});

describe('target containers', () => {
  // Logits [0, ln 3] with class 1: p = [1/4, 3/4], l = -log(3/4) = log(4/3).
  it('reads class indices from Int32Array, Float32Array, Float64Array and number[] alike', () => {
    const loss = createLoss({ type: 'softmax_cross_entropy' });
    const scores = Float64Array.of(0, Math.log(3));
    for (const targets of [Int32Array.of(1), Float32Array.of(1), Float64Array.of(1), [1]]) {
      expect(loss.compute(scores, targets, 1).value).toBeCloseTo(Math.log(4 / 3), 15);
    }
  });
});
