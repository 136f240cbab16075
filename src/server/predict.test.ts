import { from } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLearner } from '../app/run-learner.js';
import { Rng } from '../math/rng.js';
import { LearnerMetrics } from '../metrics/learner-metrics.js';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import { startServer } from './server.js';
import type { ServerHandle } from './server.js';

async function serve(config: LearnerConfig, lines: string[], options: { maxPredictRows?: number } = {}) {
  const learner = new Learner(config);
  const metrics = new LearnerMetrics(learner, { processMetrics: false });
  await runLearner(learner, from(lines.map((value, index) => ({ value, origin: { kind: 'memory' as const, index } }))));
  const server = await startServer({ learner, metrics, port: 0, ...options });
  return { learner, server };
}

async function post(server: ServerHandle, body: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/predict`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: await res.json() };
}

/** z = (x - mean) / std from the standardizer's state (population std, as Welford's m2 / n). */
function standardized(learner: Learner, x: number[]): number[] {
  const s = (learner.standardizer as NonNullable<Learner['standardizer']>).getState();
  return x.map((v, i) => {
    const std = Math.sqrt(s.m2[i] / s.count);
    return (v - s.mean[i]) / std;
  });
}

const dot = (w: ArrayLike<number>, row: number, x: number[]) => x.reduce((acc, v, j) => acc + w[row * x.length + j] * v, 0);

describe('POST /predict, classification (2 -> 100 -> 3 MLP, softmax cross-entropy on logits)', () => {
  const config: LearnerConfig = {
    schema: { features: ['height', 'weight'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
    model: { type: 'mlp', hidden: [100], activation: 'relu' },
    loss: { type: 'softmax_cross_entropy' },
    optimizer: { type: 'sgd', lr: 0.02 },
    batchSize: 10,
    maxWaitMs: Infinity,
    shuffleBuffer: 16,
    standardize: true,
    seed: 7,
  };
  let learner: Learner;
  let server: ServerHandle;
  beforeAll(async () => {
    const rng = new Rng(1);
    const lines = Array.from({ length: 300 }, () => {
      const c = rng.int(3);
      return JSON.stringify({ features: { height: [181, 161, 120][c] + rng.normal(0, 6), weight: [86, 58, 24][c] + rng.normal(0, 6) }, label: c });
    });
    ({ learner, server } = await serve(config, lines, { maxPredictRows: 3 }));
  });
  afterAll(() => server.close());

  /** The forward pass written out: relu(W0 z + b0), then W1 h + b1, then softmax. */
  function expectedProbabilities(x: number[]): number[] {
    const p = learner.setup.model.params;
    const z = standardized(learner, x);
    const h = Array.from({ length: 100 }, (_, k) => Math.max(0, dot(p['dense0.weight'], k, z) + p['dense0.bias'][k]));
    const logits = [0, 1, 2].map((c) => dot(p['dense1.weight'], c, h) + p['dense1.bias'][c]);
    const max = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  }

  it('answers one record with the class, its index and the class probabilities of the current model', async () => {
    const countBefore = learner.standardizer?.getState().count;
    const { status, body } = await post(server, JSON.stringify({ features: { height: 183, weight: 88 } }));
    expect(status).toBe(200);
    expect(body.step).toBe(30);
    expect(body.classes).toEqual(['man', 'woman', 'child']);
    const expected = expectedProbabilities([183, 88]);
    // float32 model against a double-precision forward: agreement to ~1e-6.
    body.prediction.probabilities.forEach((p: number, j: number) => expect(p).toBeCloseTo(expected[j], 5));
    expect(body.prediction.classIndex).toBe(expected.indexOf(Math.max(...expected)));
    expect(body.prediction.class).toBe('man');
    // Serving never updates the running statistics.
    expect(learner.standardizer?.getState().count).toBe(countBefore);
  });

  it('answers a batch in order, records by name or by position, labels ignored', async () => {
    const records = [{ features: { height: 118, weight: 22 }, label: 'child' }, { features: [160, 57] }, { features: { weight: 85, height: 180 } }];
    const { status, body } = await post(server, JSON.stringify({ records }));
    expect(status).toBe(200);
    expect(body.predictions).toHaveLength(3);
    for (const [i, x] of [[118, 22], [160, 57], [180, 85]].entries()) {
      const expected = expectedProbabilities(x);
      body.predictions[i].probabilities.forEach((p: number, j: number) => expect(p).toBeCloseTo(expected[j], 5));
      expect(body.predictions[i].class).toBe(config.schema.classes?.[expected.indexOf(Math.max(...expected))]);
    }
    expect(body.predictions[0].class).toBe('child');
  });

  it("refuses bad input with the training decoder's reason codes", async () => {
    const cases: Array<[string, number, string, string?]> = [
      ['{"features": ', 400, 'not_json'],
      ['{"features": {"height": 1, "weight": 2, "__proto__": {"admin": true}}}', 400, 'prototype_key'],
      ['{"features": {"constructor": 1}}', 400, 'prototype_key'],
      ['[1, 2]', 400, 'not_object'],
      ['{"label": "man"}', 400, 'missing_features'],
      ['{"features": [1, 2, 3]}', 400, 'wrong_feature_count', 'features: expected 2 values, got 3'],
      ['{"features": {"height": 1, "weight": "heavy"}}', 400, 'bad_type'],
      ['{"features": {"height": 1, "weight": 1e999}}', 400, 'non_finite'],
      ['{"features": {"height": 1, "weight": 2, "age": 3}}', 400, 'unknown_feature'],
      ['{"records": [{"features": [1, 2]}, {"features": [1]}]}', 400, 'wrong_feature_count', 'records[1]: features: expected 2 values, got 1'],
      ['{"records": []}', 400, 'empty'],
      ['{"records": {"features": [1, 2]}}', 400, 'bad_type'],
      ['{"records": [], "features": [1, 2]}', 400, 'ambiguous_request'],
      [JSON.stringify({ records: Array.from({ length: 4 }, () => ({ features: [1, 2] })) }), 413, 'too_many_records'],
      [`{"features": ${'['.repeat(40)}${']'.repeat(40)}}`, 400, 'too_deep'],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await post(server, body);
      expect([res.status, res.body.error.code], body).toEqual([status, code]);
      if (message !== undefined) expect(res.body.error.message).toBe(message);
    }
  });
});

describe('POST /predict, regression and binary', () => {
  it('answers the values of a linear regression on standardized features', async () => {
    const rng = new Rng(4);
    const lines = Array.from({ length: 64 }, () => {
      const x = [rng.normal(50, 10), rng.normal(-3, 2)];
      return JSON.stringify({ features: x, label: 0.5 * x[0] - 2 * x[1] + 1 });
    });
    const config: LearnerConfig = {
      schema: { features: 2, task: 'regression' },
      model: { type: 'linear', dtype: 'float64' },
      loss: { type: 'mse' },
      optimizer: { type: 'sgd', lr: 0.05 },
      batchSize: 8,
      maxWaitMs: Infinity,
      shuffleBuffer: 1,
      standardize: true,
      seed: 2,
    };
    const { learner, server } = await serve(config, lines);
    try {
      const { status, body } = await post(server, JSON.stringify({ records: [{ features: [55, -1] }, { features: [40, -6] }] }));
      expect(status).toBe(200);
      const p = learner.setup.model.params;
      for (const [i, x] of [[55, -1], [40, -6]].entries()) {
        const z = standardized(learner, x);
        expect(body.predictions[i].values).toHaveLength(1);
        expect(body.predictions[i].values[0]).toBeCloseTo(dot(p['dense0.weight'], 0, z) + p['dense0.bias'][0], 12);
      }
      expect(body.classes).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('answers P(negative), P(positive) from the sigmoid of a logistic model trained on logits', async () => {
    const rng = new Rng(8);
    const lines = Array.from({ length: 80 }, () => {
      const yes = rng.bernoulli(0.5);
      return JSON.stringify({ features: [yes ? 2 + rng.normal() : -2 + rng.normal()], label: yes ? 'spam' : 'ham' });
    });
    const config: LearnerConfig = {
      schema: { features: 1, task: 'binary', classes: ['ham', 'spam'] },
      model: { type: 'logistic', dtype: 'float64' },
      loss: { type: 'bce_with_logits' },
      optimizer: { type: 'sgd', lr: 0.5 },
      batchSize: 8,
      maxWaitMs: Infinity,
      shuffleBuffer: 1,
      standardize: false,
      seed: 2,
    };
    const { learner, server } = await serve(config, lines);
    try {
      const { body } = await post(server, JSON.stringify({ features: [1.5] }));
      const p = learner.setup.model.params;
      const positive = 1 / (1 + Math.exp(-(p['dense0.weight'][0] * 1.5 + p['dense0.bias'][0])));
      expect(body.prediction.probabilities[1]).toBeCloseTo(positive, 12);
      expect(body.prediction.probabilities[0]).toBeCloseTo(1 - positive, 12);
      expect(body.prediction).toMatchObject({ classIndex: 1, class: 'spam' });
    } finally {
      await server.close();
    }
  });
});
