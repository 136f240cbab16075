import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import type { LearnerSpec } from './setup.js';
import { createTrainingSetup } from './setup.js';

const SPEC: LearnerSpec = {
  task: 'regression',
  inputs: 1,
  model: { type: 'linear', dtype: 'float64' },
  loss: { type: 'mse' },
  optimizer: { type: 'sgd', lr: 0.1 },
};

function flat(params: Record<string, ArrayLike<number>>): number[] {
  return Object.values(params).flatMap((t) => Array.from(t));
}

describe('Trainer update ratio ||Δp|| / ||p||', () => {
  it('is the relative size of the step (by hand)', () => {
    const { trainer, model, assembler } = createTrainingSetup(SPEC);
    model.setParameters({ 'dense0.weight': [1], 'dense0.bias': [0] });
    // x = 1, y = 3: prediction 1, d(mse)/d(pred) = 2 (1 - 3) = -4, so dw = db = -4 and lr 0.1 moves both
    // by 0.4: ||Δp|| = 0.4 √2 against ||p|| = 1 before the step.
    const report = trainer.step(assembler.assemble([{ x: [1], y: 3, weight: 1 }]));
    expect(report.updateRatio).toBeCloseTo(0.4 * Math.SQRT2, 15);
  });

  it('is measured on one applied step in updateRatioEverySteps and reported until the next measurement', () => {
    const { trainer, model, assembler } = createTrainingSetup({ ...SPEC, updateRatioEverySteps: 3, seed: 5 });
    const measured: number[] = [];
    const reported: number[] = [];
    for (let s = 0; s < 7; s++) {
      const before = flat(model.params);
      reported.push(trainer.step(assembler.assemble([{ x: [s - 3], y: s, weight: 1 }])).updateRatio);
      const after = flat(model.params);
      let delta = 0;
      let norm = 0;
      for (let i = 0; i < before.length; i++) {
        const d = after[i] - before[i];
        delta += d * d;
        norm += before[i] * before[i];
      }
      measured.push(Math.sqrt(delta / norm));
    }
    // Applied steps 1, 4 and 7 are measured; each ratio stands for the two steps after it.
    expect(reported).toEqual([measured[0], measured[0], measured[0], measured[3], measured[3], measured[3], measured[6]]);
    expect(new Set(reported).size).toBe(3);
  });

  it('is NaN on every step when turned off with 0', () => {
    const { trainer, assembler } = createTrainingSetup({ ...SPEC, updateRatioEverySteps: 0 });
    for (let s = 0; s < 3; s++) expect(trainer.step(assembler.assemble([{ x: [1], y: s, weight: 1 }])).updateRatio).toBeNaN();
  });

  it('refuses an interval that is not an integer >= 0, naming the field', () => {
    expect(() => createTrainingSetup({ ...SPEC, updateRatioEverySteps: 2.5 })).toThrow(ConfigError);
    expect(() => createTrainingSetup({ ...SPEC, updateRatioEverySteps: -1 })).toThrow(
      /updateRatioEverySteps = -1 is invalid: must be an integer >= 0/,
    );
  });
});
