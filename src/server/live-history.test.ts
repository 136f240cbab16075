import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { runLearner } from '../app/run-learner.js';
import { ConfigError } from '../errors.js';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import { LiveHistory } from './live-history.js';

const classifier: LearnerConfig = {
  schema: { features: 2, task: 'binary' },
  model: { type: 'logistic' },
  loss: { type: 'bce' },
  optimizer: { type: 'sgd', lr: 0.1 },
  batchSize: 2,
  maxWaitMs: Infinity,
  shuffleBuffer: 1,
  standardize: false,
  seed: 1,
};

/** Trains on `n` records (n / batchSize steps): feature x0 = +-1 decides the label. */
async function train(learner: Learner, n: number, first = 0): Promise<void> {
  const records = Array.from({ length: n }, (_, i) => {
    const label = (first + i) % 2;
    return { value: JSON.stringify({ features: [label === 1 ? 1 : -1, 0.5], label }), origin: { kind: 'memory' as const, index: first + i } };
  });
  await runLearner(learner, from(records));
}

describe('LiveHistory', () => {
  it('records a point only when a step was applied since the last one', async () => {
    const learner = new Learner(classifier);
    let clock = 1000;
    const history = new LiveHistory(learner, { capacity: 4, now: () => clock });
    expect(history.sample()).toBe(false);
    await train(learner, 4);
    clock = 2000;
    expect(history.sample()).toBe(true);
    expect(history.sample()).toBe(false);
    const json = history.toJSON();
    expect(json.timeMs).toEqual([2000]);
    expect(json.step).toEqual([2]);
    expect(json.samples).toEqual([4]);
    const { trainer } = learner.setup;
    expect(json.lossRunning).toEqual([trainer.runningLoss.value]);
    expect(json.lossLastBatch).toEqual([trainer.lastBatchLoss]);
    expect(json.qualityWindow).toEqual([trainer.qualitySnapshot().windowAccuracy]);
    expect(json.quality).toBe('accuracy');
    expect(json.hasLogLoss).toBe(true);
  });

  it('keeps the newest `capacity` points, oldest first, once it wraps', async () => {
    const learner = new Learner(classifier);
    let clock = 0;
    const history = new LiveHistory(learner, { capacity: 3, now: () => clock });
    for (let k = 1; k <= 5; k++) {
      await train(learner, 2, 2 * k);
      clock = k * 100;
      history.sample();
    }
    const json = history.toJSON();
    expect(history.points).toBe(3);
    // Five points of one step each were taken; the first two were dropped.
    expect(json.step).toEqual([3, 4, 5]);
    expect(json.timeMs).toEqual([300, 400, 500]);
    expect(json.samples).toEqual([6, 8, 10]);
  });

  it('names RMSE for regression, and sends figures that do not exist as null', async () => {
    const regression = new Learner({ ...classifier, schema: { features: 2, task: 'regression' }, model: { type: 'linear' }, loss: { type: 'mse' } });
    const history = new LiveHistory(regression);
    await train(regression, 2);
    history.sample();
    const json = history.toJSON();
    expect(json.quality).toBe('rmse');
    expect(json.hasLogLoss).toBe(false);
    expect(json.qualityWindow[0]).toBe(regression.setup.trainer.qualitySnapshot().windowRmse);
    // Regression has no log-loss: NaN in the column, null on the wire.
    expect(json.logLossWindow).toEqual([null]);
  });

  it('refuses a capacity under 2 and a sampling period under 10 ms, naming the field', () => {
    const learner = new Learner(classifier);
    expect(() => new LiveHistory(learner, { capacity: 1 })).toThrow(ConfigError);
    expect(() => new LiveHistory(learner, { capacity: 1 })).toThrow('server.live.capacity: 1 is invalid');
    expect(() => new LiveHistory(learner, { sampleEveryMs: 5 })).toThrow('server.live.sampleEveryMs: 5 is invalid');
  });
});
