/**
 * Every query of every Grafana panel answers with data from a real learner: two learners train at
 * once, a Statsville classifier from a Kafka topic of the test broker (its records include malformed
 * ones, so rejects happen; its source reports the consumer lag, as the train command wires it) and a
 * regressor from a file (so the RMSE panel has its series). A real Prometheus scrapes both every
 * second, and each panel's PromQL, with the dashboard's template variables substituted as Grafana
 * would, must return at least one series through Prometheus' HTTP API. The variables' own
 * label_values() queries must find the learners and their tensors too.
 *
 * Without a prometheus binary it is skipped, saying why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { take } from 'rxjs';
import type { Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaSourceOf } from '../../src/app/kafka-input.js';
import { runLearner } from '../../src/app/run-learner.js';
import { learnerConfigOf } from '../../src/config/assemble.js';
import { resolveConfig } from '../../src/config/load.js';
import { Rng } from '../../src/math/rng.js';
import { LearnerMetrics } from '../../src/metrics/index.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';
import { startServer } from '../../src/server/index.js';
import type { ServerHandle } from '../../src/server/index.js';
import { readJsonl } from '../../src/sources/file/index.js';
import type { Origin, SourceRecord } from '../../src/sources/types.js';
import { dashboardFiles, loadDashboard, panelQueries, substitute, variableQuery } from '../helpers/grafana-dashboard.js';
import { createTestTopic, testBroker, testKafkaClient, uniqueName } from '../helpers/kafka.js';
import { prometheusBinary, startPrometheus, waitFor } from '../helpers/prometheus.js';
import type { PrometheusHandle } from '../helpers/prometheus.js';

const RECORDS = 1_500;
/** 150 steps x 100 ms: each learner trains for about fifteen seconds, long past the scrapes awaited. */
const STEP_DELAY_MS = 100;
const SCRAPES_WANTED = 5;
/** Scrapes every 1 s: a 10 s rate window holds ten samples. */
const BUILTINS = { rateInterval: '10s', interval: '1s', range: '1m' };

const CLASSES = ['man', 'woman', 'child'];

/** The classifier's configuration as the train command would resolve it, reading `topic` from the start. */
function classifierConfig(topic: string) {
  const values = {
    source: { type: 'kafka', brokers: [...testBroker().brokers], topic, groupId: uniqueName('g'), fromBeginning: true },
    schema: { features: ['height_cm', 'weight_kg'], task: 'multiclass', classes: CLASSES },
    model: { type: 'mlp', hidden: [100] },
    optimizer: { type: 'adam', lr: 0.01 },
    training: { batchSize: 10, shuffleBuffer: 20, seed: 1 },
  };
  return resolveConfig({ file: { values, label: 'grafana-dashboard.test.ts' } });
}

const regressor: LearnerConfig = {
  schema: { features: 3, task: 'regression' },
  model: { type: 'linear' },
  loss: { type: 'mse' },
  optimizer: { type: 'rmsprop', lr: 0.01 },
  batchSize: 10,
  maxWaitMs: Infinity,
  shuffleBuffer: 20,
  standardize: true,
  seed: 2,
};

/** Statsville records with a malformed one every 50 lines (not JSON, or an unknown class). */
function classifierLines(rng: Rng): string[] {
  return Array.from({ length: RECORDS }, (_, i) => {
    if (i % 50 === 25) return i % 100 === 25 ? '{"features": ' : JSON.stringify({ features: { height_cm: 170, weight_kg: 70 }, label: 'dog' });
    const c = rng.int(3);
    return JSON.stringify({ features: { height_cm: [181, 161, 120][c] + rng.normal(0, 6), weight_kg: [86, 58, 24][c] + rng.normal(0, 6) }, label: CLASSES[c] });
  });
}

function regressorLines(rng: Rng): string[] {
  return Array.from({ length: RECORDS }, () => {
    const x = [rng.normal(), rng.normal(), rng.normal()];
    return JSON.stringify({ features: x, label: 2 * x[0] - x[1] + 0.5 * x[2] + rng.normal(0, 0.1) });
  });
}

/**
 * Produces `lines` in chunks of 50, one chunk every 100 ms, as a replayer would: each fetch then brings
 * a few records, and the source reports the lag after each (it reports after a fetched batch is
 * emitted, which for a whole backlog in one fetch would be at the end of the run).
 */
async function produceGradually(topic: string, lines: readonly string[]): Promise<void> {
  const producer = await testKafkaClient().producer();
  try {
    for (let start = 0; start < lines.length; start += 50) {
      await producer.send(topic, lines.slice(start, start + 50).map((value) => ({ value, partition: 0 })));
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await producer.disconnect();
  }
}

interface RunningLearner {
  readonly learner: Learner;
  readonly server: ServerHandle;
  readonly run: Promise<void>;
}

interface Source {
  readonly records: Observable<SourceRecord>;
  readonly ack?: (origin: Origin) => void;
  readonly close?: () => Promise<void>;
}

/** A learner with its metrics and server; `start` trains on the source, each step slowed by STEP_DELAY_MS. */
async function startLearner(config: LearnerConfig, source: (metrics: LearnerMetrics) => Promise<Source>): Promise<{ learner: Learner; server: ServerHandle; start: () => Promise<void> }> {
  const learner = new Learner(config);
  const metrics = new LearnerMetrics(learner);
  const server = await startServer({ learner, metrics, port: 0, ready: true });
  const input = await source(metrics);
  const start = async () => {
    try {
      await runLearner(learner, input.records.pipe(take(RECORDS)), {
        ack: input.ack,
        beforeStep: () => new Promise((r) => setTimeout(r, STEP_DELAY_MS)),
        onEvent: (event) => metrics.observe(event),
      });
    } finally {
      await input.close?.();
    }
  };
  return { learner, server, start };
}

const found = prometheusBinary();
if ('reason' in found) console.warn(`[grafana] dashboard query test skipped: ${found.reason}`);

describe.skipIf('reason' in found)('the Grafana dashboard against a real Prometheus scraping two learners', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grafana-dashboard-'));
  const learners: RunningLearner[] = [];
  let prometheus: PrometheusHandle;
  let topic: string;
  let producing: Promise<void>;

  beforeAll(async () => {
    const rng = new Rng(11);
    topic = await createTestTopic({ partitions: 1 });
    const file = join(dir, 'regression.jsonl');
    writeFileSync(file, `${regressorLines(rng).join('\n')}\n`);
    const config = classifierConfig(topic);
    // The consumer lag goes to the gauge the way the train command wires it.
    const a = await startLearner(learnerConfigOf(config), (metrics) => kafkaSourceOf(config, { onLag: (t, p, lag) => metrics.setLag(t, p, lag) }));
    const b = await startLearner(regressor, async () => ({ records: readJsonl(file) }));
    prometheus = await startPrometheus((found as { bin: string }).bin, dir, [a.server, b.server].map((s) => new URL(s.url).host));
    await waitFor(`both targets scraped (Prometheus log: ${prometheus.log()})`, async () => {
      const up = await prometheus.query('up{job="online-learner"} == 1');
      return up.length === 2 ? true : undefined;
    });
    producing = produceGradually(topic, classifierLines(rng));
    for (const l of [a, b]) learners.push({ learner: l.learner, server: l.server, run: l.start() });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await producing?.catch(() => undefined);
    for (const l of learners) {
      await l.run.catch(() => undefined);
      await l.server.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every panel query with at least one series while both learners train', async () => {
    await waitFor(`${SCRAPES_WANTED} scrapes of each learner during training (Prometheus log: ${prometheus.log()})`, async () => {
      const changes = await prometheus.query(`changes(learner_samples_trained_total[1m]) >= ${SCRAPES_WANTED - 1}`);
      return changes.length === 2 ? true : undefined;
    }, 60_000);
    // Still training: the scrapes above happened during the runs, not after them.
    for (const { learner } of learners) expect(learner.counters.batchesApplied).toBeLessThan(RECORDS / 10 - 10);

    const files = dashboardFiles();
    expect(files.length).toBeGreaterThan(0);
    const empty: string[] = [];
    let queried = 0;
    for (const file of files) {
      const dashboard = loadDashboard(file);
      for (const { panel, target } of panelQueries(dashboard)) {
        const promql = substitute(target.expr ?? '', dashboard, BUILTINS);
        const series = await prometheus.query(promql);
        queried++;
        if (series.length === 0) empty.push(`${file} "${panel.title}" ${target.refId}: ${promql}`);
      }
    }
    expect(empty, `queries with no series:\n${empty.join('\n')}`).toEqual([]);
    // The lag panel's series is the Kafka source's own report for the topic's one partition.
    const lag = await prometheus.query('learner_consumer_lag');
    expect(lag.map((series) => `${series.metric.topic}/${series.metric.partition}`)).toEqual([`${topic}/0`]);
    console.log(`[grafana] ${queried} panel queries of ${files.length} dashboard(s) answered with series`);
  });

  it("finds the learners and their tensors with the variables' label_values() queries", async () => {
    for (const file of dashboardFiles()) {
      const dashboard = loadDashboard(file);
      for (const variable of dashboard.templating?.list ?? []) {
        const query = variableQuery(variable);
        if (query === null) continue;
        const match = /^label_values\((.+),\s*(\w+)\)$/.exec(substitute(query, dashboard, BUILTINS));
        expect(match, `${variable.name}: ${query}`).not.toBeNull();
        const values = await prometheus.labelValues(match![2], match![1]);
        if (variable.name === 'instance') expect(values.sort()).toEqual(learners.map((l) => new URL(l.server.url).host).sort());
        // Both models' tensors: the MLP's two layers; the linear model's one layer is named dense0 too.
        if (variable.name === 'tensor') expect(values.sort()).toEqual(['dense0.bias', 'dense0.weight', 'dense1.bias', 'dense1.weight']);
        expect(values.length, variable.name).toBeGreaterThan(0);
      }
    }
  });
});
