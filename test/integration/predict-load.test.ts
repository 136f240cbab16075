/**
 * POST /predict under 1,000 concurrent requests while the learner trains at full speed (no delay
 * between steps, the recorded stream repeated): every request must be answered 200 with a valid
 * prediction (a class of the schema, probabilities in [0, 1] that sum to 1 with the class at their
 * maximum, a step count), and training must keep going under the load.
 *
 * The load comes from a worker thread (its own event loop), so the client does not compete with the
 * server's event loop for the same thread: ROUNDS rounds of CONCURRENCY simultaneous requests over an
 * http.Agent with maxSockets = CONCURRENCY, loopback only, bounded in count and time. Each request has
 * its own connection: a keep-alive socket left idle past the server's keep-alive timeout between two
 * rounds may be closed just as it is reused, a client-side race that says nothing about the server.
 * The p99 latency and the training throughput with and without load are printed; docs/observability.md
 * has the figures of a by-hand run with wrk.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { repeat, Subject, takeUntil } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLearner } from '../../src/app/run-learner.js';
import { Rng } from '../../src/math/rng.js';
import { LearnerMetrics } from '../../src/metrics/index.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';
import { startServer } from '../../src/server/index.js';
import type { ServerHandle } from '../../src/server/index.js';
import { readJsonl } from '../../src/sources/file/index.js';

const CONCURRENCY = 1_000;
const ROUNDS = 3;
const BASELINE_MS = 3_000;
const CLASSES = ['man', 'woman', 'child'];

const config: LearnerConfig = {
  schema: { features: ['height_cm', 'weight_kg'], task: 'multiclass', classes: CLASSES },
  model: { type: 'mlp', hidden: [100] },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  batchSize: 10,
  maxWaitMs: Infinity,
  shuffleBuffer: 100,
  standardize: true,
  seed: 1,
};

interface LoadResult {
  readonly latenciesMs: number[];
  /** One line per request that did not get a valid prediction. */
  readonly failures: string[];
  readonly seconds: number;
}

/**
 * The load client, run in a worker thread: `rounds` rounds of `concurrency` requests started at once,
 * each round awaited before the next. Plain JavaScript: a worker evaluates it as a CommonJS script.
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, concurrency, rounds, classes, timeoutMs } = workerData;
const agent = new http.Agent({ keepAlive: false, maxSockets: concurrency });
const target = new URL('/predict', url);
function one(i) {
  const body = JSON.stringify({ features: { height_cm: 120 + (i % 70), weight_kg: 25 + (i % 65) } });
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(target, { method: 'POST', agent, timeout: timeoutMs, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - started;
        try {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const p = answer.prediction;
          const sum = p.probabilities.reduce((a, b) => a + b, 0);
          const valid = res.statusCode === 200 && Number.isInteger(answer.step) && answer.step >= 0 && classes[p.classIndex] === p.class &&
            p.probabilities.length === classes.length && Math.abs(sum - 1) < 1e-6 && p.probabilities.every((v) => v >= 0 && v <= 1) &&
            p.probabilities[p.classIndex] === Math.max(...p.probabilities);
          resolve(valid ? { ms } : { ms, failure: 'invalid answer ' + res.statusCode + ' ' + JSON.stringify(answer).slice(0, 200) });
        } catch (err) {
          resolve({ ms, failure: 'status ' + res.statusCode + ': ' + err.message });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out after ' + timeoutMs + ' ms')));
    req.on('error', (err) => resolve({ ms: performance.now() - started, failure: err.message }));
    req.end(body);
  });
}
(async () => {
  const latenciesMs = [];
  const failures = [];
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    const results = await Promise.all(Array.from({ length: concurrency }, (_, i) => one(r * concurrency + i)));
    for (const result of results) {
      latenciesMs.push(result.ms);
      if (result.failure !== undefined) failures.push(result.failure);
    }
  }
  agent.destroy();
  parentPort.postMessage({ latenciesMs, failures, seconds: (performance.now() - started) / 1000 });
})();
`;

function runLoad(url: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT, { eval: true, workerData: { url, concurrency: CONCURRENCY, rounds: ROUNDS, classes: CLASSES, timeoutMs: 30_000 } });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('POST /predict under 1,000 concurrent requests while training at full speed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'predict-load-'));
  const stop = new Subject<void>();
  let learner: Learner;
  let server: ServerHandle;
  let run: Promise<void>;

  beforeAll(async () => {
    const rng = new Rng(8);
    const lines = Array.from({ length: 20_000 }, () => {
      const c = rng.int(3);
      return JSON.stringify({ features: { height_cm: [181, 161, 120][c] + rng.normal(0, 6), weight_kg: [86, 58, 24][c] + rng.normal(0, 6) }, label: CLASSES[c] });
    });
    const file = join(dir, 'statsville.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    learner = new Learner(config);
    const metrics = new LearnerMetrics(learner, { processMetrics: false });
    server = await startServer({ learner, metrics, port: 0, ready: true });
    // The file over and over until the test stops it: training never runs dry during the measurement.
    run = runLearner(learner, readJsonl(file).pipe(repeat(), takeUntil(stop)), { onEvent: (event) => metrics.observe(event) });
  });

  afterAll(async () => {
    stop.next();
    await run;
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request 200 with a valid prediction, and training goes on', async () => {
    await sleep(500);
    const before = learner.counters.samplesTrained;
    await sleep(BASELINE_MS);
    const baseline = ((learner.counters.samplesTrained - before) * 1000) / BASELINE_MS;

    const atLoadStart = learner.counters.samplesTrained;
    const load = await runLoad(server.url);
    const underLoad = (learner.counters.samplesTrained - atLoadStart) / load.seconds;

    const sorted = [...load.latenciesMs].sort((a, b) => a - b);
    console.log(
      `[predict-load] ${CONCURRENCY * ROUNDS} requests, ${CONCURRENCY} concurrent, in ${load.seconds.toFixed(2)} s ` +
        `(${Math.round((CONCURRENCY * ROUNDS) / load.seconds)} req/s): p50 ${percentile(sorted, 0.5).toFixed(1)} ms, ` +
        `p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms; training ` +
        `${Math.round(baseline)} samples/s alone, ${Math.round(underLoad)} samples/s under load (${((underLoad / baseline) * 100).toFixed(0)}% of the unloaded rate)`,
    );
    expect(load.failures.slice(0, 5), `${load.failures.length} failed requests`).toEqual([]);
    expect(load.latenciesMs).toHaveLength(CONCURRENCY * ROUNDS);
    expect(underLoad).toBeGreaterThan(0);
  });
});
