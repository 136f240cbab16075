import { register as globalRegistry } from 'prom-client';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { runLearner } from '../app/run-learner.js';
import { ConfigError } from '../errors.js';
import { Rng } from '../math/rng.js';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import { REJECT_REASONS } from '../pipeline/sample.js';
import type { SourceRecord } from '../sources/types.js';
import { LearnerMetrics } from './learner-metrics.js';
import type { LearnerMetricsOptions } from './options.js';

/** The chapter's Statsville classifier: 2 -> 100 -> 3 MLP, 603 parameters; Adam so the rates differ per element. */
const statsville: LearnerConfig = {
  schema: { features: ['height', 'weight'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
  model: { type: 'mlp', hidden: [100], activation: 'relu' },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  batchSize: 10,
  maxWaitMs: Infinity,
  shuffleBuffer: 32,
  standardize: true,
  seed: 3,
};

function statsvilleLines(n: number): string[] {
  const rng = new Rng(5);
  const centres = [
    [181, 86],
    [161, 58],
    [120, 24],
  ];
  return Array.from({ length: n }, (_, i) => {
    const c = rng.int(3);
    const features = { height: centres[c][0] + rng.normal(0, 6), weight: centres[c][1] + rng.normal(0, 6) };
    return JSON.stringify({ features, label: statsville.schema.classes?.[c], id: `s${i}` });
  });
}

const BAD = ['not json', '{"features": {"height": 170}, "label": "man"}', '{"features": {"height": 1, "weight": 2}, "label": "dog"}', '{"features": {"height": 1, "weight": 2}, "label": "dog"}'];

const records = (lines: string[]): SourceRecord[] => lines.map((value, index) => ({ value, origin: { kind: 'memory', index } }));

/** Series of the Prometheus text format: `name{a="x",b="y"}` -> value (label values here never hold quotes or commas). */
function parseExposition(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    series.set(line.slice(0, cut), Number.parseFloat(line.slice(cut + 1)));
  }
  return series;
}

async function scrape(metrics: LearnerMetrics): Promise<Map<string, number>> {
  return parseExposition(await metrics.registry.metrics());
}

function value(series: Map<string, number>, key: string): number {
  const v = series.get(key);
  if (v === undefined) throw new Error(`no series ${key}`);
  return v;
}

async function trained(config: LearnerConfig, lines: string[], options: LearnerMetricsOptions = {}) {
  const learner = new Learner(config);
  const metrics = new LearnerMetrics(learner, { processMetrics: false, ...options });
  let steps = 0;
  await runLearner(learner, from(records(lines)), {
    onEvent: (event) => {
      if (event.kind === 'step') steps++;
      metrics.observe(event);
    },
  });
  return { learner, metrics, steps, series: await scrape(metrics) };
}

/** Numpy's default ("linear") quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]);
}

const relativeError = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('LearnerMetrics', () => {
  it('counts what the learner counted: records, samples, rejects by reason, batches, steps', async () => {
    const lines = statsvilleLines(400);
    BAD.forEach((bad, i) => lines.splice(50 + i * 70, 0, bad));
    const { learner, series, steps } = await trained(statsville, lines);
    const c = learner.counters;
    expect(value(series, 'learner_records_total')).toBe(c.records);
    expect(c.records).toBe(404);
    expect(value(series, 'learner_samples_trained_total')).toBe(c.samplesTrained);
    expect(value(series, 'learner_batches_total{outcome="applied"}')).toBe(c.batchesApplied);
    expect(value(series, 'learner_batches_total{outcome="refused"}')).toBe(0);
    for (const reason of REJECT_REASONS) {
      expect(value(series, `learner_samples_rejected_total{reason="${reason}"}`)).toBe(c.rejected[reason] ?? 0);
    }
    expect(c.rejected).toEqual({ not_json: 1, missing_features: 1, unknown_class: 2 });
    expect(value(series, 'learner_step_duration_seconds_count')).toBe(steps);
    expect(value(series, 'learner_step_duration_seconds_bucket{le="+Inf"}')).toBe(steps);
  });

  it('reads loss, quality, learning rate, model size and buffer fill from the learner on scrape', async () => {
    const { learner, series } = await trained(statsville, statsvilleLines(300));
    const { trainer } = learner.setup;
    const q = trainer.qualitySnapshot();
    // The text format prints a double's shortest round-trip form, so equality is exact.
    expect(value(series, 'learner_loss_running')).toBe(trainer.runningLoss.value);
    expect(value(series, 'learner_loss_last_batch')).toBe(trainer.lastBatchLoss);
    expect(value(series, 'learner_accuracy_window')).toBe(q.windowAccuracy);
    expect(value(series, 'learner_accuracy_cumulative')).toBe(q.accuracy);
    expect(value(series, 'learner_log_loss_window')).toBe(q.windowLogLoss);
    expect(value(series, 'learner_log_loss_cumulative')).toBe(q.logLoss);
    expect(series.has('learner_rmse_window')).toBe(false);
    expect(value(series, 'learner_learning_rate')).toBe(0.01);
    expect(value(series, 'learner_model_parameters')).toBe(603);
    // The run completed, so the shuffle buffer drained.
    expect(value(series, 'learner_shuffle_buffer_fill')).toBe(0);
    expect(value(series, 'learner_shuffle_buffer_capacity')).toBe(32);
    expect(value(series, 'learner_gradient_norm')).toBeGreaterThan(0);
    expect(value(series, 'learner_update_ratio')).toBeGreaterThan(0);
  });

  it('exports the effective learning rates of Adam per tensor and per element, as DESIGN §6 defines them', async () => {
    const { learner, series } = await trained(statsville, statsvilleLines(300), { effectiveLrQuantiles: [0.5, 0.9] });
    const state = learner.setup.optimizer.getState();
    const t = state.step;
    expect(t).toBe(30);
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-8];
    let elements = 0;
    for (const [tensor, p] of Object.entries(learner.setup.model.params)) {
      const v = state.slots[`${tensor}/exp_avg_sq`];
      // DESIGN §6, Adam: lr_t / ((1 - b1^t) * (sqrt(v_i / (1 - b2^t)) + eps)).
      const expected = Array.from(v, (vi) => lr / ((1 - b1 ** t) * (Math.sqrt(vi / (1 - b2 ** t)) + eps)));
      expect(expected.length).toBe(p.length);
      const sorted = [...expected].sort((a, b) => a - b);
      const stat = (name: string) => value(series, `learner_effective_learning_rate{tensor="${tensor}",stat="${name}"}`);
      // Rates are stored in the model's float32: agreement to float32 precision.
      expect(relativeError(stat('min'), sorted[0])).toBeLessThan(1e-6);
      expect(relativeError(stat('max'), sorted[sorted.length - 1])).toBeLessThan(1e-6);
      expect(relativeError(stat('mean'), expected.reduce((a, b) => a + b, 0) / expected.length)).toBeLessThan(1e-6);
      expect(relativeError(stat('p50'), quantile(sorted, 0.5))).toBeLessThan(1e-6);
      expect(relativeError(stat('p90'), quantile(sorted, 0.9))).toBeLessThan(1e-6);
      for (let i = 0; i < expected.length; i++) {
        expect(relativeError(value(series, `learner_effective_learning_rate_element{tensor="${tensor}",index="${i}"}`), expected[i])).toBeLessThan(1e-6);
      }
      elements += expected.length;
    }
    expect(elements).toBe(603);
    expect([...series.keys()].filter((k) => k.startsWith('learner_effective_learning_rate_element{')).length).toBe(603);
  });

  // DESIGN §6 for the other optimizer families, from each optimizer's own state after 30 steps (t = 30).
  const families: Array<[string, LearnerConfig['optimizer'], (tensor: string, i: number, slots: Record<string, ArrayLike<number>>) => number]> = [
    // AdaGrad: lr_t / (1 + (t-1) lrDecay) / (sqrt(sum_i) + eps), eps 1e-10.
    ['adagrad with lrDecay', { type: 'adagrad', lr: 0.05, lrDecay: 0.01 }, (n, i, s) => 0.05 / (1 + 29 * 0.01) / (Math.sqrt(s[`${n}/sum`][i]) + 1e-10)],
    // RMSprop: lr / (sqrt(square_avg_i) + eps), eps 1e-8.
    ['rmsprop', { type: 'rmsprop', lr: 0.001 }, (n, i, s) => 0.001 / (Math.sqrt(s[`${n}/square_avg`][i]) + 1e-8)],
    // Centered RMSprop: lr / (sqrt(square_avg_i - grad_avg_i^2) + eps).
    ['centered rmsprop', { type: 'rmsprop', lr: 0.001, centered: true }, (n, i, s) => 0.001 / (Math.sqrt(Math.max(s[`${n}/square_avg`][i] - s[`${n}/grad_avg`][i] ** 2, 0)) + 1e-8)],
    // SGD: the scheduled lr of the last step: 0.1 * 0.5^floor((30 - 1) / 10) = 0.025.
    ['sgd with a step schedule', { type: 'sgd', lr: { type: 'step', lr: 0.1, stepSize: 10, gamma: 0.5 } }, () => 0.025],
  ];
  for (const [name, optimizer, formula] of families) {
    it(`exports the effective learning rates of ${name} as DESIGN §6 defines them`, async () => {
      const { learner, series } = await trained({ ...statsville, optimizer }, statsvilleLines(300));
      const state = learner.setup.optimizer.getState();
      expect(state.step).toBe(30);
      for (const [tensor, p] of Object.entries(learner.setup.model.params)) {
        for (let i = 0; i < p.length; i++) {
          const exported = value(series, `learner_effective_learning_rate_element{tensor="${tensor}",index="${i}"}`);
          expect(relativeError(exported, formula(tensor, i, state.slots))).toBeLessThan(1e-6);
        }
      }
    });
  }

  it('exports no per-element series for a 100,000-parameter model, so the series count stays under the cap', async () => {
    // 39 inputs -> 2439 hidden -> 1 output: 39*2439 + 2439 + 2439 + 1 = 100,000 parameters.
    const wide: LearnerConfig = {
      schema: { features: 39, task: 'binary' },
      model: { type: 'mlp', hidden: [2439] },
      loss: { type: 'bce_with_logits' },
      optimizer: { type: 'adam', lr: 0.001 },
      batchSize: 8,
      maxWaitMs: Infinity,
      shuffleBuffer: 1,
      standardize: false,
      seed: 1,
    };
    const rng = new Rng(2);
    const lines = Array.from({ length: 24 }, () => JSON.stringify({ features: Array.from({ length: 39 }, () => rng.normal()), label: rng.int(2) }));
    const { metrics, series } = await trained(wide, lines);
    expect(value(series, 'learner_model_parameters')).toBe(100_000);
    expect([...series.keys()].some((k) => k.startsWith('learner_effective_learning_rate_element'))).toBe(false);
    expect(value(series, 'learner_effective_learning_rate{tensor="dense0.weight",stat="p90"}')).toBeGreaterThan(0);
    expect(series.size).toBeLessThan(metrics.options.perElementSeriesCap);
    const text = await metrics.registry.metrics();
    expect(text).toContain('this model has 100000, so off');
  });

  it('honours a lower cap: per-element series off for the 603-parameter model when the cap is 600', async () => {
    const { series } = await trained(statsville, statsvilleLines(20), { perElementSeriesCap: 600 });
    expect([...series.keys()].some((k) => k.startsWith('learner_effective_learning_rate_element'))).toBe(false);
    expect(series.has('learner_effective_learning_rate{tensor="dense1.bias",stat="mean"}')).toBe(true);
  });

  it('counts a refused (non-finite) minibatch under its reason and as refused, and shows no Inf gradient norm', async () => {
    const regression: LearnerConfig = {
      schema: { features: 2, task: 'regression' },
      model: { type: 'linear', dtype: 'float64' },
      loss: { type: 'mse' },
      optimizer: { type: 'sgd', lr: 0.01 },
      batchSize: 2,
      maxWaitMs: Infinity,
      shuffleBuffer: 1,
      standardize: false,
      seed: 1,
    };
    // Batches [huge, 1] (loss overflows: refused) and [2, 3] (applied). float64 decodes 1e200 where float32 would reject it.
    const lines = [JSON.stringify({ features: [1e200, 1e200], label: 1 }), ...[1, 2, 3].map((i) => JSON.stringify({ features: [i, 1], label: i }))];
    const { learner, series } = await trained(regression, lines);
    expect(learner.counters.batchesRefused).toEqual({ non_finite_loss: 1 });
    expect(value(series, 'learner_samples_rejected_total{reason="non_finite_loss"}')).toBe(learner.counters.samplesRefused);
    expect(value(series, 'learner_samples_rejected_total{reason="non_finite_loss"}')).toBe(2);
    expect(value(series, 'learner_batches_total{outcome="refused"}')).toBe(1);
    expect(value(series, 'learner_batches_total{outcome="applied"}')).toBe(1);
    expect(value(series, 'learner_step_duration_seconds_count')).toBe(2);
    expect(Number.isFinite(value(series, 'learner_gradient_norm'))).toBe(true);
    expect(series.has('learner_rmse_window')).toBe(true);
    expect(series.has('learner_accuracy_window')).toBe(false);
  });

  it('before any record: every known series at 0, figures NaN, no effective rates yet', async () => {
    const metrics = new LearnerMetrics(new Learner(statsville), { processMetrics: false, now: () => 0 });
    const series = await scrape(metrics);
    for (const reason of [...REJECT_REASONS, 'non_finite_loss', 'non_finite_gradient']) {
      expect(value(series, `learner_samples_rejected_total{reason="${reason}"}`)).toBe(0);
    }
    expect(value(series, 'learner_records_total')).toBe(0);
    expect(value(series, 'learner_batches_total{outcome="applied"}')).toBe(0);
    expect(value(series, 'learner_last_checkpoint_timestamp_seconds')).toBe(0);
    for (const name of ['learner_loss_running', 'learner_loss_last_batch', 'learner_accuracy_window', 'learner_gradient_norm', 'learner_update_ratio']) {
      expect(Number.isNaN(value(series, name))).toBe(true);
    }
    expect([...series.keys()].some((k) => k.startsWith('learner_effective_learning_rate'))).toBe(false);
  });

  it('reports consumer lag per partition, forgets a revoked partition, and marks checkpoints', async () => {
    const metrics = new LearnerMetrics(new Learner(statsville), { processMetrics: false });
    metrics.setLag('statsville', 0, 120);
    metrics.setLag('statsville', 1, 7);
    metrics.setLag('statsville', 0, 100);
    metrics.markCheckpoint(1_700_000_000.5);
    let series = await scrape(metrics);
    expect(value(series, 'learner_consumer_lag{topic="statsville",partition="0"}')).toBe(100);
    expect(value(series, 'learner_consumer_lag{topic="statsville",partition="1"}')).toBe(7);
    expect(value(series, 'learner_last_checkpoint_timestamp_seconds')).toBe(1_700_000_000.5);
    metrics.removeLag('statsville', 1);
    series = await scrape(metrics);
    expect(series.has('learner_consumer_lag{topic="statsville",partition="1"}')).toBe(false);
  });

  it('stamps the last applied step with the injected clock and labels the build', async () => {
    const { series } = await trained(statsville, statsvilleLines(10), { now: () => 1_234_567_000, version: '9.9.9' });
    expect(value(series, 'learner_last_step_timestamp_seconds')).toBe(1_234_567);
    expect(value(series, `learner_build_info{version="9.9.9",node="${process.version}"}`)).toBe(1);
  });

  it('keeps its metrics on its own registry, with process metrics, and never touches the global one', async () => {
    const a = new LearnerMetrics(new Learner(statsville));
    const b = new LearnerMetrics(new Learner(statsville));
    expect(a.registry).not.toBe(b.registry);
    const series = await scrape(a);
    expect(series.has('process_cpu_user_seconds_total')).toBe(true);
    expect(series.has('nodejs_heap_size_used_bytes')).toBe(true);
    expect(globalRegistry.getSingleMetric('learner_loss_running')).toBeUndefined();
    expect(globalRegistry.getSingleMetric('process_cpu_user_seconds_total')).toBeUndefined();
  });

  it('refuses invalid options, naming the field, the value and the rule', () => {
    const learner = new Learner(statsville);
    expect(() => new LearnerMetrics(learner, { perElementSeriesCap: -1 })).toThrow(ConfigError);
    expect(() => new LearnerMetrics(learner, { perElementSeriesCap: 1.5 })).toThrow('metrics.perElementSeriesCap: 1.5 is invalid: must be an integer >= 0');
    expect(() => new LearnerMetrics(learner, { effectiveLrQuantiles: [0.5, 1] })).toThrow('metrics.effectiveLrQuantiles[1]: 1 is invalid');
    expect(() => new LearnerMetrics(learner, { effectiveLrQuantiles: [0.5, 0.5] })).toThrow('is a duplicate (stat="p50")');
    expect(() => new LearnerMetrics(learner, { stepDurationBucketsSeconds: [0.1, 0.01] })).toThrow('metrics.stepDurationBucketsSeconds[1]: 0.01 is invalid');
  });
});
