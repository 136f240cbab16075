import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OptimizerConfig } from '../optim/types.js';
import { createTrainingSetup } from './setup.js';

interface Step {
  x: number[];
  y: number[];
  w: number[];
  loss: number;
  penalty: number;
  gradNorm: number;
  params: Record<string, number[]>;
}
interface Case {
  name: string;
  optimizer: OptimizerConfig;
  l2: number;
  clipGradNorm: number;
  weighted: boolean;
  initial: Record<string, number[]>;
  steps: Step[];
}

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/trainer.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / (Math.abs(expected[i]) + 1e-12);
    if (err > worst) worst = err;
  }
  expect(worst).toBeLessThan(rel);
}

describe('Trainer against a PyTorch training loop (2 -> 100 -> 3, ReLU, float64)', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: ${c.steps.length} steps match torch's parameters, loss and gradient norm`, () => {
      const { trainer, model, assembler } = createTrainingSetup({
        task: 'multiclass',
        inputs: 2,
        classes: 3,
        model: { type: 'mlp', hidden: [100], activation: 'relu', dtype: 'float64' },
        loss: { type: 'softmax_cross_entropy' },
        optimizer: c.optimizer,
        regularization: { l2: c.l2, clipGradNorm: c.clipGradNorm, excludeBiases: true },
      });
      for (const name of Object.keys(c.initial)) model.params[name].set(c.initial[name]);
      for (const s of c.steps) {
        const examples = s.y.map((y, i) => ({ x: s.x.slice(2 * i, 2 * i + 2), y, weight: c.weighted ? s.w[i] : 1 }));
        const report = trainer.step(assembler.assemble(examples));
        expect(report.applied).toBe(true);
        expect(report.loss).toBeCloseTo(s.loss, 12);
        expect(report.penalty).toBeCloseTo(s.penalty, 12);
        expect(Math.abs(report.gradNorm - s.gradNorm) / s.gradNorm).toBeLessThan(1e-10);
        for (const name of Object.keys(s.params)) expectClose(model.params[name], s.params[name], 1e-9);
      }
      expect(trainer.steps).toBe(c.steps.length);
    });
  }
});

describe('Trainer guards', () => {
  const setup = () =>
    createTrainingSetup({
      task: 'regression',
      inputs: 2,
      model: { type: 'linear', dtype: 'float64' },
      loss: { type: 'mse' },
      optimizer: { type: 'sgd', lr: 0.1 },
      seed: 3,
    });

  it('does not apply a batch whose loss is not finite, and leaves parameters and counts untouched', () => {
    const { trainer, model, assembler } = setup();
    const before = Object.fromEntries(Object.entries(model.params).map(([k, v]) => [k, Array.from(v)]));
    const report = trainer.step(assembler.assemble([{ x: [1e200, 1e200], y: 1, weight: 1 }]));
    expect(report.applied).toBe(false);
    expect(report.rejection).toBe('non_finite_loss');
    for (const [k, v] of Object.entries(before)) expect(Array.from(model.params[k])).toEqual(v);
    expect(trainer.steps).toBe(0);
    expect(trainer.qualitySnapshot().samples).toBe(0);
  });

  it('scores quality on the outputs before the update (prequential)', () => {
    const { trainer, model, assembler } = setup();
    model.params['dense0.weight'].set([0, 0]);
    model.params['dense0.bias'].set([0]);
    // The model predicts 0 for the first batch whatever it learns from it: RMSE is exactly |y| = 3.
    trainer.step(assembler.assemble([{ x: [1, 1], y: 3, weight: 1 }]));
    expect(trainer.qualitySnapshot().rmse).toBe(3);
    expect(model.params['dense0.bias'][0]).not.toBe(0);
  });

  it('takes the prequential log-loss from the loss values, as -log softmax of the pre-update outputs gives it', () => {
    const { trainer, model, assembler } = createTrainingSetup({
      task: 'multiclass',
      inputs: 2,
      classes: 3,
      model: { type: 'softmax', dtype: 'float64' },
      loss: { type: 'softmax_cross_entropy' },
      optimizer: { type: 'sgd', lr: 0.5 },
      seed: 5,
    });
    let expected = 0;
    let count = 0;
    for (let step = 0; step < 20; step++) {
      const examples = [0, 1, 2, 3].map((i) => ({ x: [Math.sin(step + i), Math.cos(3 * step - i)], y: (step + i) % 3, weight: 1 }));
      const batch = assembler.assemble(examples);
      // -log p(y) from the model as it is before this step, by the textbook softmax.
      const z = model.predict(batch.x, batch.size);
      for (let r = 0; r < batch.size; r++) {
        const row = [z[3 * r], z[3 * r + 1], z[3 * r + 2]];
        const sumExp = row.reduce((a, v) => a + Math.exp(v), 0);
        expected += -Math.log(Math.exp(row[examples[r].y]) / sumExp);
        count++;
      }
      trainer.step(batch);
    }
    expect(trainer.qualitySnapshot().logLoss).toBeCloseTo(expected / count, 12);
  });

  it('refuses a loss that does not fit the task, with a hint', () => {
    expect(() =>
      createTrainingSetup({
        task: 'regression',
        inputs: 2,
        model: { type: 'linear' },
        loss: { type: 'softmax_cross_entropy' },
        optimizer: { type: 'sgd', lr: 0.1 },
      }),
    ).toThrow(/multiclass loss but the stream's task is regression; pick a regression loss \(mse\)/);
  });
});
