import { from } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLearner } from '../app/run-learner.js';
import { LearnerMetrics } from '../metrics/learner-metrics.js';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import { startServer } from './server.js';
import type { ServerHandle } from './server.js';

const config: LearnerConfig = {
  schema: { features: ['x0', 'x1'], task: 'regression' },
  model: { type: 'linear' },
  loss: { type: 'mse' },
  optimizer: { type: 'adam', lr: 0.01 },
  batchSize: 4,
  maxWaitMs: Infinity,
  shuffleBuffer: 8,
  standardize: false,
  seed: 3,
};

/** A learner after a few steps (/metrics reads the optimizer's effective learning rates, which need one). */
async function trainedLearner(): Promise<Learner> {
  const learner = new Learner(config);
  const lines = Array.from({ length: 40 }, (_, index) => ({
    value: JSON.stringify({ features: { x0: index % 5, x1: index % 3 }, label: index % 7 }),
    origin: { kind: 'memory' as const, index },
  }));
  await runLearner(learner, from(lines));
  return learner;
}

const token = 'an-admin-token-of-32-characters!';
const auth = { authorization: `Bearer ${token}` };

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: await res.json() };
}

describe('admin routes with a token', () => {
  let learner: Learner;
  let server: ServerHandle;
  let checkpoints = 0;
  beforeAll(async () => {
    learner = await trainedLearner();
    const metrics = new LearnerMetrics(learner, { processMetrics: false });
    server = await startServer({
      learner,
      metrics,
      port: 0,
      adminToken: token,
      maxBodyBytes: 1024,
      onCheckpointRequest: async () => {
        checkpoints += 1;
        return { path: `/ckpt/step-${checkpoints}.safetensors` };
      },
    });
  });
  afterAll(() => server.close());

  it('answers 401 without the token and with a wrong one, and leaves the rate alone', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer not-the-admin-token-at-all!!' }, { authorization: token }]) {
      const res = await post(`${server.url}/admin/learning-rate`, '{"lr": 0.5}', headers);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    expect((await post(`${server.url}/admin/checkpoint`, '')).status).toBe(401);
    expect(learner.setup.optimizer.currentLr()).toBe(0.01);
    expect(checkpoints).toBe(0);
  });

  it('sets the learning rate and answers the optimizer own currentLr()', async () => {
    const res = await post(`${server.url}/admin/learning-rate`, '{"lr": 0.25}', auth);
    expect(res).toEqual({ status: 200, body: { lr: 0.25 } });
    expect(learner.setup.optimizer.currentLr()).toBe(0.25);
    // 0 pauses learning without stopping the stream: allowed.
    expect((await post(`${server.url}/admin/learning-rate`, '{"lr": 0}', auth)).body).toEqual({ lr: 0 });
    expect(learner.setup.optimizer.currentLr()).toBe(0);
  });

  it('refuses a bad learning rate with 400 and a reason code', async () => {
    const cases: Array<[string, string]> = [
      ['{"lr": -0.1}', 'bad_lr'],
      ['{"lr": 1e999}', 'bad_lr'],
      ['{"lr": "0.1"}', 'bad_lr'],
      ['{"lr": null}', 'bad_lr'],
      ['{"rate": 0.1}', 'missing_lr'],
      ['[0.1]', 'missing_lr'],
      ['{"lr": 0.1', 'not_json'],
      ['{"__proto__": {"lr": 0.1}}', 'prototype_key'],
    ];
    const before = learner.setup.optimizer.currentLr();
    const overflow = await post(`${server.url}/admin/learning-rate`, '{"lr": 1e999}', auth);
    expect(overflow.body.error.message).toBe('lr: Infinity is invalid: must be a finite number >= 0');
    for (const [body, code] of cases) {
      const res = await post(`${server.url}/admin/learning-rate`, body, auth);
      expect([body, res.status, res.body.error.code]).toEqual([body, 400, code]);
    }
    expect(learner.setup.optimizer.currentLr()).toBe(before);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await post(`${server.url}/admin/learning-rate`, `{"lr": 0.1, "pad": "${'x'.repeat(2048)}"}`, auth);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('asks the runner for a checkpoint and answers its path', async () => {
    const res = await post(`${server.url}/admin/checkpoint`, '', auth);
    expect(res).toEqual({ status: 200, body: { path: '/ckpt/step-1.safetensors' } });
    expect(checkpoints).toBe(1);
  });

  it('leaves /metrics, /healthz and /predict open', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await post(`${server.url}/predict`, '{"features": {"x0": 1, "x1": 2}}')).status).toBe(200);
  });
});

describe('admin routes without a token', () => {
  it('answer 403 admin_disabled, even with an Authorization header, and change nothing', async () => {
    const learner = await trainedLearner();
    const metrics = new LearnerMetrics(learner, { processMetrics: false });
    let checkpoints = 0;
    const server = await startServer({ learner, metrics, port: 0, onCheckpointRequest: async () => void (checkpoints += 1) });
    try {
      for (const path of ['/admin/learning-rate', '/admin/checkpoint']) {
        const res = await post(`${server.url}${path}`, '{"lr": 0.5}', auth);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('admin_disabled');
      }
      expect(learner.setup.optimizer.currentLr()).toBe(0.01);
      expect(checkpoints).toBe(0);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('POST /admin/checkpoint without a checkpointer', () => {
  it('answers 503 checkpoint_unavailable', async () => {
    const learner = await trainedLearner();
    const metrics = new LearnerMetrics(learner, { processMetrics: false });
    const server = await startServer({ learner, metrics, port: 0, adminToken: token });
    try {
      const res = await post(`${server.url}/admin/checkpoint`, '', auth);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('checkpoint_unavailable');
    } finally {
      await server.close();
    }
  });
});
