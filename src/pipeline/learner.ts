/**
 * The learner: the composition of the pipeline stages around one Trainer (DESIGN.md §1).
 *
 *   records ─▶ decode ─▶ (rejects ─▶ events) ─▶ standardize? ─▶ shuffle buffer ─▶ minibatches ─▶ train
 *
 * `run(records)` returns one Observable of events in processing order: a `rejected` event for each record
 * that failed decoding and a `step` event for each minibatch (applied, or refused by the non-finite
 * guard). Sources use the events to acknowledge records (commit offsets) and sinks to dead-letter them;
 * the learner itself does no I/O. Everything downstream of the source is synchronous, except an optional
 * `beforeStep` hook (tests use it to make steps slow), so one step runs at a time and the state below is
 * consistent whenever an event is delivered.
 *
 * All state a checkpoint needs lives here: model and optimizer (in `setup`), the standardizer, the RNGs,
 * the shuffle buffer's residents, and the counters.
 */
import { concatMap, from, map, Observable, of } from 'rxjs';
import type { SchedulerLike, Subscriber } from 'rxjs';
import type { LossConfig } from '../losses/types.js';
import { Rng } from '../math/rng.js';
import type { Tensor } from '../math/tensor.js';
import type { OptimizerConfig } from '../optim/types.js';
import type { SourceRecord } from '../sources/types.js';
import { RNG_STREAMS, createTrainingSetup, deriveSeed } from '../training/setup.js';
import type { ModelSpec, TrainingSetup } from '../training/setup.js';
import type { LabeledExample } from '../training/minibatch.js';
import type { QualitySnapshot } from '../training/quality.js';
import type { RegularizationConfig, StepReport } from '../training/trainer.js';
import { toDeadLetter } from './dead-letter.js';
import type { DeadLetter } from './dead-letter.js';
import { createDecoder } from './decode-records.js';
import type { DecodeOptions } from './decode-record.js';
import { classCount, featureCountOf, outputsOf } from './record-schema.js';
import type { RecordSchema } from './record-schema.js';
import { RowSample } from './row-sample.js';
import type { Decoded, Sample } from './sample.js';
import { ShuffleBuffer } from './shuffle-buffer.js';
import type { ShuffleBufferState } from './shuffle-buffer.js';
import { MinibatchCollector } from './to-minibatches.js';
import { OnlineStandardizer } from './welford.js';

export interface LearnerConfig {
  readonly schema: RecordSchema;
  readonly model: ModelSpec;
  readonly loss: LossConfig;
  readonly optimizer: OptimizerConfig;
  readonly regularization?: RegularizationConfig;
  readonly batchSize: number;
  /** Flush a partial minibatch after this much quiet; Infinity: only full batches and the final flush. */
  readonly maxWaitMs: number;
  /** Shuffle buffer capacity; 1 = arrival order. */
  readonly shuffleBuffer: number;
  readonly standardize: boolean;
  readonly seed: number;
  readonly decode?: DecodeOptions;
  readonly qualityWindow?: number;
  readonly lossHalfLifeSteps?: number;
}

export interface LearnerRunOptions {
  /** Time source of the minibatch flush timer. */
  readonly scheduler?: SchedulerLike;
  /** Awaited before each step (fault and backpressure tests make steps slow with it). */
  readonly beforeStep?: () => Promise<void>;
}

export type LearnerEvent =
  | { readonly kind: 'rejected'; readonly deadLetter: DeadLetter }
  | {
      readonly kind: 'step';
      readonly report: StepReport;
      readonly samples: readonly Sample[];
      /** Wall time of the step (assembly, forward, backward, update), in seconds. */
      readonly durationSeconds: number;
    };

export interface LearnerCounters {
  /** Records that entered decoding. */
  records: number;
  /** Records rejected by decoding, by reason. */
  rejected: Record<string, number>;
  /** Samples in applied batches. */
  samplesTrained: number;
  /** Samples in batches the non-finite guard refused. */
  samplesRefused: number;
  batchesApplied: number;
  batchesRefused: Record<string, number>;
}

export interface LearnerSummary {
  readonly records: number;
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  readonly samples: number;
  readonly samplesRefused: number;
  readonly steps: number;
  readonly batchesRefused: number;
  readonly runningLoss: number | null;
  readonly quality: QualitySnapshot;
}

/** A LabeledExample that examplesOf points at a RowSample's row for each batch (no copy). */
interface RowExample {
  x: Tensor;
  xOffset: number;
  y: number | Float64Array;
  weight: number;
}

export class Learner {
  readonly setup: TrainingSetup;
  readonly standardizer: OnlineStandardizer | null;
  readonly shuffleRng: Rng;
  /** The shuffle buffer's residents: consumed but not yet trained. */
  readonly shuffleState: ShuffleBufferState<Sample> = { residents: [] };
  /** examplesOf's reusable array and its examples for RowSamples, by position in the batch. */
  private readonly examples: LabeledExample[] = [];
  private readonly rowExamples: RowExample[] = [];
  readonly counters: LearnerCounters = {
    records: 0,
    rejected: {},
    samplesTrained: 0,
    samplesRefused: 0,
    batchesApplied: 0,
    batchesRefused: {},
  };

  constructor(readonly config: LearnerConfig) {
    const { schema } = config;
    const task = schema.task;
    this.setup = createTrainingSetup({
      task,
      inputs: featureCountOf(schema),
      classes: classCount(schema) ?? undefined,
      outputs: task === 'regression' ? outputsOf(schema) : undefined,
      model: config.model,
      loss: config.loss,
      optimizer: config.optimizer,
      regularization: config.regularization,
      seed: config.seed,
      qualityWindow: config.qualityWindow,
      lossHalfLifeSteps: config.lossHalfLifeSteps,
    });
    this.standardizer = config.standardize ? new OnlineStandardizer(featureCountOf(schema)) : null;
    this.shuffleRng = new Rng(deriveSeed(config.seed, RNG_STREAMS.shuffle));
  }

  /** Trains on `records` until they complete; subscribe to start. One run at a time. */
  run(records: Observable<SourceRecord>, options: LearnerRunOptions = {}): Observable<LearnerEvent> {
    const { config } = this;
    // RowSamples: examplesOf and the standardizer read a binary record's rows by offset.
    const decodeOptions: DecodeOptions = { dtype: this.setup.model.dtype, ...config.decode, rowSamples: true };
    return new Observable<LearnerEvent>((subscriber) => {
      const batches = this.batches(records, decodeOptions, subscriber, options.scheduler);
      const { beforeStep } = options;
      const steps = batches.pipe(
        beforeStep === undefined
          ? map((batch) => this.trainOn(batch))
          : concatMap((batch) => from(beforeStep()).pipe(concatMap(() => of(this.trainOn(batch))))),
      );
      return steps.subscribe(subscriber);
    });
  }

  /**
   * Decode, divert rejects to `events`, standardize, shuffle, batch: one stage rather than one operator
   * each, since it runs per sample and every operator hop costs (issue 8's throughput case); the shuffle
   * buffer and the batching are the `shuffleBuffer` and `toMinibatches` operators' own classes. The
   * standardizer works in place: the decoder allocated each x for its sample alone and nothing else holds
   * it yet (a binary record's RowSamples: their rows in the record's block, which only they share). Order
   * matters: update the statistics with x, then standardize x with them (as `standardize` does). A
   * record's samples arrive at the batching together, so its clock is read once per record.
   */
  private batches(
    records: Observable<SourceRecord>,
    decodeOptions: DecodeOptions,
    events: Subscriber<LearnerEvent>,
    scheduler: SchedulerLike | undefined,
  ): Observable<Sample[]> {
    // Built before the first record: an invalid schema fails the subscription, not a record.
    const decode = createDecoder(this.config.schema, decodeOptions);
    const { config, counters, standardizer } = this;
    return new Observable<Sample[]>((subscriber) => {
      const collector = new MinibatchCollector<Sample>(
        { batchSize: config.batchSize, maxWaitMs: config.maxWaitMs, scheduler },
        (batch) => subscriber.next(batch),
      );
      const shuffle = new ShuffleBuffer<Sample>(config.shuffleBuffer, this.shuffleRng, this.shuffleState);
      const toBatch = (sample: Sample): void => collector.add(sample);
      const onDecoded = (decoded: Decoded): void => {
        if (decoded.kind === 'rejected') {
          counters.rejected[decoded.reason] = (counters.rejected[decoded.reason] ?? 0) + 1;
          events.next({ kind: 'rejected', deadLetter: toDeadLetter(decoded) });
          return;
        }
        if (standardizer !== null) {
          if (decoded instanceof RowSample) standardizer.updateAndTransformAt(decoded.rows, decoded.offset);
          else standardizer.updateAndTransform(decoded.x, decoded.x);
        }
        shuffle.offer(decoded, toBatch);
      };
      const subscription = records.subscribe({
        next(record) {
          counters.records++;
          decode(record, onDecoded);
          collector.arrived();
        },
        error: (err: unknown) => subscriber.error(err),
        complete() {
          shuffle.drain(toBatch, () => subscriber.closed);
          collector.flush();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        collector.dispose();
      };
    });
  }

  summary(): LearnerSummary {
    const c = this.counters;
    const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
    const ema = this.setup.trainer.runningLoss.value;
    return {
      records: c.records,
      rejected: sum(c.rejected),
      rejectedByReason: { ...c.rejected },
      samples: c.samplesTrained,
      samplesRefused: c.samplesRefused,
      steps: c.batchesApplied,
      batchesRefused: sum(c.batchesRefused),
      runningLoss: Number.isNaN(ema) ? null : ema,
      quality: this.setup.trainer.qualitySnapshot(),
    };
  }

  /**
   * The batch as the assembler reads it: a RowSample as a reusable example pointing at its row in the
   * record's block (`xOffset`), since reading its `x` would make a view per sample; any other sample as
   * it is. The assembler copies the same values either way, so the minibatch has the same bits.
   */
  private examplesOf(batch: readonly Sample[]): readonly LabeledExample[] {
    const { examples, rowExamples } = this;
    if (examples.length !== batch.length) examples.length = batch.length;
    for (let r = 0; r < batch.length; r++) {
      const sample = batch[r];
      // A row of another width goes as a view, so that the assembler refuses it as it refuses any sample.
      if (!(sample instanceof RowSample) || sample.width !== this.setup.assembler.inputs) {
        examples[r] = sample;
        continue;
      }
      let example = rowExamples[r];
      if (example === undefined) {
        example = { x: sample.rows, xOffset: 0, y: 0, weight: 1 };
        rowExamples[r] = example;
      }
      example.x = sample.rows;
      example.xOffset = sample.offset;
      example.y = sample.y;
      example.weight = sample.weight;
      examples[r] = example;
    }
    return examples;
  }

  private trainOn(batch: Sample[]): LearnerEvent {
    const started = performance.now();
    const report = this.setup.trainer.step(this.setup.assembler.assemble(this.examplesOf(batch)));
    const durationSeconds = (performance.now() - started) / 1000;
    const c = this.counters;
    if (report.applied) {
      c.samplesTrained += batch.length;
      c.batchesApplied++;
    } else {
      const reason = report.rejection as string;
      c.samplesRefused += batch.length;
      c.batchesRefused[reason] = (c.batchesRefused[reason] ?? 0) + 1;
    }
    return { kind: 'step', report, samples: batch, durationSeconds };
  }
}
