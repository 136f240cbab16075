/**
 * A real Prometheus scrapes a real learner: the learner trains on a file-backed stream for about ten
 * seconds (each step slowed by runLearner's beforeStep), serves /metrics, and a Prometheus server
 * (the `prometheus` binary: PROMETHEUS_BIN, else on PATH; Debian: apt-get install prometheus) scrapes it
 * every second. Asserted through Prometheus' HTTP API: the target is up, the series the dashboards use
 * exist, and the counters Prometheus stored agree with the learner's.
 *
 * Needs no Kafka. Without a prometheus binary it is skipped, saying why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLearner } from '../../src/app/run-learner.js';
import { Rng } from '../../src/math/rng.js';
import { LearnerMetrics } from '../../src/metrics/index.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';
import { startServer } from '../../src/server/index.js';
import type { ServerHandle } from '../../src/server/index.js';
import { readJsonl } from '../../src/sources/file/index.js';
import { prometheusBinary, startPrometheus, waitFor } from '../helpers/prometheus.js';

const RECORDS = 1_000;
const BATCH = 10;
/** 100 steps x 100 ms: the learner trains for about ten seconds. */
const STEP_DELAY_MS = 100;
const SCRAPES_WANTED = 4;

const config: LearnerConfig = {
  schema: { features: ['height_cm', 'weight_kg'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
  model: { type: 'mlp', hidden: [100] },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  batchSize: BATCH,
  maxWaitMs: Infinity,
  shuffleBuffer: 50,
  standardize: true,
  seed: 1,
};

const found = prometheusBinary();
if ('reason' in found) console.warn(`[prometheus] scrape test skipped: ${found.reason}`);

describe.skipIf('reason' in found)('a real Prometheus scraping the learner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-scrape-'));
  let learner: Learner;
  let server: ServerHandle;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
  let run: Promise<void>;

  beforeAll(async () => {
    const stream = join(dir, 'statsville.jsonl');
    const rng = new Rng(42);
    const lines: string[] = [];
    for (let i = 0; i < RECORDS; i++) {
      const c = rng.int(3);
      const features = { height_cm: [181, 161, 120][c] + rng.normal(0, 6), weight_kg: [86, 58, 24][c] + rng.normal(0, 6) };
      lines.push(JSON.stringify({ features, label: config.schema.classes?.[c] }));
    }
    writeFileSync(stream, `${lines.join('\n')}\n`);

    learner = new Learner(config);
    const metrics = new LearnerMetrics(learner);
    server = await startServer({ learner, metrics, port: 0 });
    // Prometheus takes a few seconds to discover its first target: training starts once it scrapes us.
    prometheus = await startPrometheus((found as { bin: string }).bin, dir, [new URL(server.url).host]);
    await waitFor(`a first scrape (Prometheus log: ${prometheus.log()})`, async () => {
      const [up] = await prometheus.query('up{job="online-learner"}');
      return up?.value[1] === '1' ? true : undefined;
    });
    run = runLearner(learner, readJsonl(stream), {
      beforeStep: () => new Promise((r) => setTimeout(r, STEP_DELAY_MS)),
      onEvent: (event) => metrics.observe(event),
    });
    server.setReady(true);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await run?.catch(() => undefined);
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the learner series while it trains: loss, effective learning rates, sample counters', async () => {
    const started = Date.now();
    // n scrapes during training see the counter change n - 1 times.
    await waitFor(`${SCRAPES_WANTED} scrapes during training (Prometheus log: ${prometheus.log()})`, async () => {
      const [changes] = await prometheus.query('changes(learner_samples_trained_total[1m])');
      return changes !== undefined && Number(changes.value[1]) >= SCRAPES_WANTED - 1 ? true : undefined;
    });
    // Still training: the scrapes above happened during the run, not after it.
    expect(learner.counters.batchesApplied).toBeLessThan(RECORDS / BATCH);

    const [up] = await prometheus.query('up{job="online-learner"}');
    expect(up.value[1]).toBe('1');

    const loss = await prometheus.query('learner_loss_running');
    expect(loss).toHaveLength(1);
    expect(Number(loss[0].value[1])).toBeGreaterThan(0);

    const rates = await prometheus.query('learner_effective_learning_rate');
    const pairs = rates.map((s) => `${s.metric.tensor}/${s.metric.stat}`).sort();
    const expected = ['dense0.weight', 'dense0.bias', 'dense1.weight', 'dense1.bias'].flatMap((t) => ['min', 'mean', 'max', 'p50', 'p90'].map((s) => `${t}/${s}`));
    expect(pairs).toEqual(expected.sort());
    expect(await prometheus.query('count(learner_effective_learning_rate_element)')).toEqual([expect.objectContaining({ value: [expect.any(Number), '603'] })]);

    const trained = await prometheus.query('learner_samples_trained_total');
    expect(trained).toHaveLength(1);
    expect(Number(trained[0].value[1])).toBeGreaterThan(0);
    expect(Number(trained[0].value[1])).toBeLessThanOrEqual(RECORDS);
    const rate = await prometheus.query('rate(learner_samples_trained_total[10s])');
    expect(Number(rate[0].value[1])).toBeGreaterThan(0);
    console.log(`[prometheus] ${SCRAPES_WANTED} scrapes during training took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('ends with the counters Prometheus scraped last equal to the learner counts', async () => {
    await run;
    expect(learner.counters.samplesTrained).toBe(RECORDS);
    // One more scrape after the run: the stored counter then equals the learner's.
    await waitFor(
      'a scrape after the run ended',
      async () => {
        const [sample] = await prometheus.query('learner_samples_trained_total');
        return sample !== undefined && Number(sample.value[1]) === RECORDS ? true : undefined;
      },
      5_000,
    );
    const [batches] = await prometheus.query('learner_batches_total{outcome="applied"}');
    expect(Number(batches.value[1])).toBe(learner.counters.batchesApplied);
    const [records] = await prometheus.query('learner_records_total');
    expect(Number(records.value[1])).toBe(RECORDS);
  });
});
