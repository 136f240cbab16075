import { readFileSync } from 'node:fs';
import { from } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runLearner } from '../app/run-learner.js';
import { Rng } from '../math/rng.js';
import { LearnerMetrics } from '../metrics/learner-metrics.js';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import type { LearningRatesJson } from './live-learning-rates.js';
import { PAGE_ASSETS } from './routes/page.js';
import { startServer } from './server.js';
import type { ServerHandle } from './server.js';

/** The chapter's 2 -> 100 -> 3 MLP (603 parameters) with Adam, so the rates differ per element. */
const config: LearnerConfig = {
  schema: { features: ['height', 'weight'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
  model: { type: 'mlp', hidden: [100] },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  batchSize: 10,
  maxWaitMs: Infinity,
  shuffleBuffer: 8,
  standardize: true,
  seed: 2,
};

async function trained(records: number): Promise<Learner> {
  const learner = new Learner(config);
  const rng = new Rng(4);
  const lines = Array.from({ length: records }, (_, index) => {
    const c = rng.int(3);
    const features = { height: [181, 161, 120][c] + rng.normal(0, 6), weight: [86, 58, 24][c] + rng.normal(0, 6) };
    return { value: JSON.stringify({ features, label: c }), origin: { kind: 'memory' as const, index } };
  });
  await runLearner(learner, from(lines));
  return learner;
}

async function live(server: ServerHandle): Promise<{ step: number; history: { samples: number[] }; learningRates: LearningRatesJson }> {
  const res = await fetch(`${server.url}/live`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as never;
}

describe('GET /live', () => {
  let learner: Learner;
  let server: ServerHandle;
  beforeAll(async () => {
    learner = await trained(200);
    server = await startServer({ learner, metrics: new LearnerMetrics(learner, { processMetrics: false }), port: 0, live: { sampleEveryMs: 10 } });
  });
  afterAll(() => server.close());

  it('sends every element of every tensor with its torch shape, equal to the optimizer rates to 4 digits', async () => {
    const body = await live(server);
    expect(body.step).toBe(20);
    const rates = body.learningRates;
    expect(rates.mode).toBe('elements');
    expect(rates.optimizer).toBe('adam');
    expect(rates.tensors.map((t) => [t.name, t.shape])).toEqual([
      ['dense0.weight', [100, 2]],
      ['dense0.bias', [100]],
      ['dense1.weight', [3, 100]],
      ['dense1.bias', [3]],
    ]);
    const expected = learner.setup.optimizer.effectiveLearningRates();
    for (const tensor of rates.tensors) {
      const values = tensor.values as number[];
      expect(values).toHaveLength(expected[tensor.name].length);
      for (let i = 0; i < values.length; i++) expect(Math.abs(values[i] - expected[tensor.name][i]) / expected[tensor.name][i]).toBeLessThan(5e-4);
      const sorted = Array.from(expected[tensor.name]).sort((a, b) => a - b);
      expect(tensor.min).toBe(Number(sorted[0].toPrecision(4)));
      expect(tensor.max).toBe(Number(sorted[sorted.length - 1].toPrecision(4)));
    }
  });

  it('carries the learning curve the sampler recorded', async () => {
    // Sampled on the server's 10 ms timer after training ended: one point, the state after 200 samples.
    await vi.waitFor(async () => expect((await live(server)).history.samples).toEqual([200]));
  });
});

describe('GET /live for a model over the per-element limit', () => {
  it('sends per-tensor statistics and no values', async () => {
    const learner = await trained(30);
    const server = await startServer({ learner, metrics: new LearnerMetrics(learner, { processMetrics: false }), port: 0, live: { maxElements: 600 } });
    try {
      const rates = (await live(server)).learningRates;
      expect(rates.mode).toBe('stats');
      expect(rates.maxElements).toBe(600);
      expect(rates.tensors).toHaveLength(4);
      for (const t of rates.tensors) {
        expect(t.values).toBeUndefined();
        expect(t.min).toBeGreaterThan(0);
        expect(t.min! <= t.p50! && t.p50! <= t.p90! && t.p90! <= t.max!).toBe(true);
      }
    } finally {
      await server.close();
    }
  });

  it('sends no tensors before the first step', async () => {
    const learner = new Learner(config);
    const server = await startServer({ learner, metrics: new LearnerMetrics(learner, { processMetrics: false }), port: 0 });
    try {
      const body = await live(server);
      expect(body.step).toBe(0);
      expect(body.learningRates.tensors).toEqual([]);
      expect(body.history.samples).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('GET / (the live page)', () => {
  let server: ServerHandle;
  beforeAll(async () => {
    const learner = new Learner(config);
    server = await startServer({ learner, metrics: new LearnerMetrics(learner, { processMetrics: false }), port: 0 });
  });
  afterAll(() => server.close());

  it('serves the page with a same-origin-only Content Security Policy', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'; script-src 'self'");
    expect(await res.text()).toContain('<canvas id="loss-chart"');
  });

  it('serves every file the page references, and references nothing on another origin', async () => {
    const referenced = new Set<string>();
    for (const asset of PAGE_ASSETS) {
      const res = await fetch(`${server.url}${asset.path}`);
      expect(res.status, asset.path).toBe(200);
      expect(res.headers.get('content-type')).toBe(asset.contentType);
      const text = await res.text();
      expect(text).toBe(readFileSync(new URL(`page/${asset.file}`, import.meta.url), 'utf8'));
      for (const m of text.matchAll(/(?:src|href)="([^"]+)"|from '([^']+)'|fetch\('([^']+)'/g)) referenced.add(m[1] ?? m[2] ?? m[3]);
    }
    for (const ref of referenced) {
      const path = ref.startsWith('./') ? `/page/${ref.slice(2)}` : ref;
      expect(path, ref).toMatch(/^\/[^/]/);
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(200);
    }
    expect([...referenced].sort()).toEqual(['./format.js', './heatmap.js', './line-chart.js', '/favicon.svg', '/live', '/metrics', '/page/app.js', '/page/style.css', '/status']);
  });
});
