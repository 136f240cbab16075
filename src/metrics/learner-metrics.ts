/**
 * The learner's Prometheus metrics (DESIGN.md §7) on the learner's own prom-client Registry, never the
 * global one, so two learners in one process (or one test file) never share a series.
 *
 * Two ways in, as prom-client recommends:
 * - events: `observe(event)`, called from runLearner's onEvent, counts samples, rejects, batches and step
 *   durations as they happen;
 * - scrapes: point-in-time values (loss, quality, learning rates, buffer fill) are read from the learner
 *   in `collect()` callbacks, so they cost nothing between scrapes (state-gauges.ts, effective-lr-metrics.ts).
 * Sources report what only they know through methods: `setLag` (Kafka), `markCheckpoint` (checkpointing).
 *
 * Counters count from the creation of this object (Prometheus counters restart with the process; rate()
 * handles the reset). Every series known to exist is exported from the start, at 0: each reject reason,
 * each batch outcome. Labels are bounded: reasons and outcomes are fixed lists, tensors are the model's
 * parameter names, partitions those assigned; never a label per record, key or user.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Learner, LearnerEvent } from '../pipeline/learner.js';
import { REJECT_REASONS } from '../pipeline/sample.js';
import type { StepRejection } from '../training/trainer.js';
import { registerEffectiveLrMetrics } from './effective-lr-metrics.js';
import { resolveMetricsOptions } from './options.js';
import type { LearnerMetricsOptions, ResolvedMetricsOptions } from './options.js';
import { registerStateGauges } from './state-gauges.js';

/** Why a sample was not trained on: decode reasons, then the step guard's (its whole minibatch is refused). */
export const SAMPLE_REJECT_REASONS = [...REJECT_REASONS, ...(['non_finite_loss', 'non_finite_gradient'] as const satisfies readonly StepRejection[])] as const;

export const BATCH_OUTCOMES = ['applied', 'refused'] as const;

const REASON_LABELS = ['reason'] as const;
const OUTCOME_LABELS = ['outcome'] as const;
const PARTITION_LABELS = ['topic', 'partition'] as const;
const BUILD_LABELS = ['version', 'node'] as const;

export class LearnerMetrics {
  /** Serve `registry.metrics()` with `registry.contentType`. */
  readonly registry = new Registry();
  readonly options: ResolvedMetricsOptions;
  private readonly samplesTrained: Counter;
  private readonly samplesRejected: Counter<(typeof REASON_LABELS)[number]>;
  private readonly batches: Counter<(typeof OUTCOME_LABELS)[number]>;
  private readonly stepDuration: Histogram;
  private readonly gradientNorm: Gauge;
  private readonly updateRatio: Gauge;
  private readonly lastStep: Gauge;
  private readonly consumerLag: Gauge<(typeof PARTITION_LABELS)[number]>;
  private readonly lastCheckpoint: Gauge;

  constructor(
    readonly learner: Learner,
    options: LearnerMetricsOptions = {},
  ) {
    this.options = resolveMetricsOptions(options);
    const registers = [this.registry];

    // Records have no event of their own (the learner counts them as they enter decoding), so this one
    // counter is read on scrape, from the same origin as the others: the count when this object was made.
    const recordsAtStart = learner.counters.records;
    new Counter({
      name: 'learner_records_total',
      help: 'Records received from the source (before decoding)',
      registers,
      collect() {
        this.reset();
        this.inc(Math.max(0, learner.counters.records - recordsAtStart));
      },
    });
    this.samplesTrained = new Counter({
      name: 'learner_samples_trained_total',
      help: 'Samples in applied minibatches',
      registers,
    });
    this.samplesRejected = new Counter({
      name: 'learner_samples_rejected_total',
      help: 'Samples not trained on, by reason: a decode reason code (dead-lettered record) or non_finite_loss / non_finite_gradient (its minibatch was refused)',
      labelNames: REASON_LABELS,
      registers,
    });
    for (const reason of SAMPLE_REJECT_REASONS) this.samplesRejected.inc({ reason }, 0);
    this.batches = new Counter({
      name: 'learner_batches_total',
      help: 'Minibatches by outcome: applied, or refused by the non-finite guard (parameters untouched)',
      labelNames: OUTCOME_LABELS,
      registers,
    });
    for (const outcome of BATCH_OUTCOMES) this.batches.inc({ outcome }, 0);
    this.stepDuration = new Histogram({
      name: 'learner_step_duration_seconds',
      help: 'Wall time of a training step (minibatch assembly, forward, backward, update), applied or refused',
      buckets: [...this.options.stepDurationBucketsSeconds],
      registers,
    });
    this.gradientNorm = new Gauge({
      name: 'learner_gradient_norm',
      help: 'Global L2 norm of the last applied step gradient (data + penalty), before clipping; NaN before the first step',
      registers,
    });
    this.gradientNorm.set(Number.NaN);
    this.updateRatio = new Gauge({
      name: 'learner_update_ratio',
      help: 'Relative size of the update on the last measured applied step (one in updateRatioEverySteps, default 100), ||delta p|| / ||p|| over all parameters; NaN before the first step',
      registers,
    });
    this.updateRatio.set(Number.NaN);
    this.lastStep = new Gauge({
      name: 'learner_last_step_timestamp_seconds',
      help: 'Unix time of the last applied step; 0 before the first',
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'learner_consumer_lag',
      help: 'Kafka records behind the end of each assigned partition (high watermark minus next offset to consume)',
      labelNames: PARTITION_LABELS,
      registers,
    });
    this.lastCheckpoint = new Gauge({
      name: 'learner_last_checkpoint_timestamp_seconds',
      help: 'Unix time of the last durable checkpoint; 0 before the first',
      registers,
    });
    new Gauge({
      name: 'learner_build_info',
      help: 'Always 1; the labels say which online-learner and Node.js versions run',
      labelNames: BUILD_LABELS,
      registers,
    }).set({ version: this.options.version, node: process.version }, 1);

    registerStateGauges(this.registry, learner);
    const { model, optimizer } = learner.setup;
    registerEffectiveLrMetrics({
      registry: this.registry,
      model,
      optimizer,
      quantiles: this.options.effectiveLrQuantiles,
      perElementSeriesCap: this.options.perElementSeriesCap,
    });
    if (this.options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Feed every event of the learner's run (runLearner's onEvent). */
  observe(event: LearnerEvent): void {
    if (event.kind === 'rejected') {
      this.samplesRejected.inc({ reason: event.deadLetter.reason });
      return;
    }
    const { report, durationSeconds } = event;
    this.stepDuration.observe(durationSeconds);
    if (report.applied) {
      this.samplesTrained.inc(report.batchSize);
      this.batches.inc({ outcome: 'applied' });
      this.gradientNorm.set(report.gradNorm);
      this.updateRatio.set(report.updateRatio);
      this.lastStep.set(this.options.now() / 1000);
    } else {
      // The refused batch's gradient norm may be Inf / NaN: it is counted here, not shown as the last norm.
      this.samplesRejected.inc({ reason: report.rejection as StepRejection }, report.batchSize);
      this.batches.inc({ outcome: 'refused' });
    }
  }

  /** Records behind the end of a partition; the Kafka source calls it after each fetch. */
  setLag(topic: string, partition: number, lag: number): void {
    this.consumerLag.set({ topic, partition: String(partition) }, lag);
  }

  /** Drops a partition's lag series when the partition is revoked, so no stale lag stays behind. */
  removeLag(topic: string, partition: number): void {
    this.consumerLag.remove({ topic, partition: String(partition) });
  }

  /** A checkpoint became durable at `unixSeconds`. */
  markCheckpoint(unixSeconds: number): void {
    this.lastCheckpoint.set(unixSeconds);
  }
}
