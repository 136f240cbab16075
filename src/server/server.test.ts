import { request } from 'node:http';
import { from } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLearner } from '../app/run-learner.js';
import { ConfigError } from '../errors.js';
import { Rng } from '../math/rng.js';
import { LearnerMetrics } from '../metrics/learner-metrics.js';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import { startServer } from './server.js';
import type { ServerHandle } from './server.js';

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

async function trainedLearner(): Promise<{ learner: Learner; metrics: LearnerMetrics }> {
  const learner = new Learner(config);
  const metrics = new LearnerMetrics(learner, { processMetrics: false });
  const rng = new Rng(1);
  const lines = Array.from({ length: 200 }, (_, index) => {
    const c = rng.int(3);
    const features = { height: [181, 161, 120][c] + rng.normal(0, 6), weight: [86, 58, 24][c] + rng.normal(0, 6) };
    return { value: JSON.stringify({ features, label: c }), origin: { kind: 'memory' as const, index } };
  });
  await runLearner(learner, from(lines), { onEvent: (e) => metrics.observe(e) });
  return { learner, metrics };
}

/** A raw request, so tests control Content-Length and chunking. */
function rawRequest(url: string, options: { method: string; path: string; body?: Buffer; chunked?: boolean }): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = options.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': options.body?.length ?? 0 };
    const req = request(`${url}${options.path}`, { method: options.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('startServer', () => {
  let learner: Learner;
  let metrics: LearnerMetrics;
  let server: ServerHandle;
  beforeAll(async () => {
    ({ learner, metrics } = await trainedLearner());
    server = await startServer({ learner, metrics, port: 0, config: { ...config, kafka: { brokers: ['k:9092'], sasl: { username: 'u', password: 'hunter2' } } } });
  });
  afterAll(() => server.close());

  it('serves the registry at /metrics with the Prometheus content type', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.registry.contentType);
    const text = await res.text();
    expect(text).toContain(`learner_samples_trained_total ${learner.counters.samplesTrained}`);
    expect(text).toContain('learner_effective_learning_rate{tensor="dense0.weight",stat="mean"}');
  });

  it('answers /healthz always and /readyz only while the runner says it is ready', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const before = await fetch(`${server.url}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ error: { code: 'not_ready', message: 'the learner is not consuming yet' } });
    server.setReady(true);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    server.setReady(false, 'the stream ended');
    const after = await fetch(`${server.url}/readyz`);
    expect(after.status).toBe(503);
    expect(((await after.json()) as { error: { message: string } }).error.message).toBe('the stream ended');
  });

  it('summarizes the run at /status with the schema and the config, secrets redacted', async () => {
    const body = (await (await fetch(`${server.url}/status`)).json()) as Record<string, any>;
    expect(body.summary).toEqual(JSON.parse(JSON.stringify(learner.summary())));
    expect(body.step).toBe(20);
    expect(body.parameters).toBe(603);
    expect(body.schema).toEqual(config.schema);
    expect(body.config.kafka).toEqual({ brokers: ['k:9092'], sasl: { username: 'u', password: '[redacted]' } });
    expect(body.config.optimizer).toEqual({ type: 'sgd', lr: 0.02 });
    expect(body.uptimeSeconds).toBeGreaterThan(0);
  });

  it('answers HEAD like GET without a body, 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const wrong = await fetch(`${server.url}/predict`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const wrongGet = await fetch(`${server.url}/metrics`, { method: 'POST', body: '{}' });
    expect(wrongGet.status).toBe(405);
    expect(wrongGet.headers.get('allow')).toBe('GET, HEAD');
  });

  it('refuses a body over the limit with 413, declared up front or streamed in chunks', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    for (const chunked of [false, true]) {
      const res = await rawRequest(server.url, { method: 'POST', path: '/predict', body: big, chunked });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text).error.code).toBe('payload_too_large');
      expect(res.headers.connection).toBe('close');
    }
  });

  it('validates the port, the limits and the admin token length', async () => {
    await expect(startServer({ learner, metrics, port: 70000 })).rejects.toThrow(ConfigError);
    await expect(startServer({ learner, metrics, port: 0, maxBodyBytes: 0 })).rejects.toThrow('server.maxBodyBytes: 0 is invalid');
    await expect(startServer({ learner, metrics, port: 0, adminToken: 'short' })).rejects.toThrow('server.adminToken');
  });
});

describe('startServer with an admin token', () => {
  it('guards /model with the bearer token and leaves the other routes open', async () => {
    const { learner, metrics } = await trainedLearner();
    const token = 'a-token-of-32-characters-length!';
    const server = await startServer({ learner, metrics, port: 0, adminToken: token });
    try {
      expect((await fetch(`${server.url}/model`)).status).toBe(401);
      expect((await fetch(`${server.url}/model`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const ok = await fetch(`${server.url}/model`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/octet-stream');
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
