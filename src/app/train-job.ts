/**
 * The composition root of `online-learner train` / `evaluate`: from a validated AppConfig to a finished
 * run. It picks the record source (a recorded stream shipped in streams/, a .jsonl(.gz) file, or Kafka),
 * infers the record schema when none is configured, builds the Learner, wires dead letters, the progress
 * bar and the stop signal, and returns the summary.
 *
 * Stopping (SIGTERM / SIGINT / `stop()`): the source stops reading, the records already read drain
 * through the shuffle buffer and the last partial batch, and the run ends normally: every record read is
 * trained or dead-lettered, none is left half-done; a Kafka source then commits exactly their offsets.
 *
 * Checkpoints (`checkpoint.dir`, DESIGN.md §2): the newest readable checkpoint is restored into the fresh
 * learner and the source reads on from its position; during the run a checkpoint is taken every
 * `everySteps` steps / `everySeconds`, and a final one once the run ended. Each durable checkpoint is
 * handed back to the source (`resume.saved`): a Kafka source commits the group's offsets only then.
 */
import { join } from 'node:path';
import { Observable, Subject, take, takeUntil } from 'rxjs';
import { openRunCheckpoints } from '../checkpoint/run-checkpoints.js';
import type { RunCheckpoints } from '../checkpoint/run-checkpoints.js';
import type { CheckpointPosition, SavedCheckpoint } from '../checkpoint/types.js';
import type { AppConfig } from '../config/schema.js';
import { learnerConfigOf } from '../config/assemble.js';
import { ConfigError } from '../errors.js';
import { inferSchema } from '../pipeline/infer-schema.js';
import type { RecordSchema } from '../pipeline/record-schema.js';
import { Learner } from '../pipeline/learner.js';
import type { LearnerEvent, LearnerSummary } from '../pipeline/learner.js';
import { readJsonl } from '../sources/file/jsonl-source.js';
import { JsonlSink } from '../sources/file/jsonl-sink.js';
import type { Origin, SourceRecord } from '../sources/types.js';
import { getStream } from '../streams/catalogue.js';
import { streamFilePath } from '../streams/manifest.js';
import { countRecords, firstLines } from './file-input.js';
import { kafkaDeadLetterSinkOf, kafkaSourceOf } from './kafka-input.js';
import { ProgressBar } from './progress.js';
import { runLearner } from './run-learner.js';
import type { DeadLetterSink } from './run-learner.js';

/** A source of records for one run: the records, how many there are if known, and how to acknowledge them. */
export interface RecordSource {
  readonly description: string;
  readonly records: Observable<SourceRecord>;
  /** Number of records if known in advance (progress bar length). */
  readonly total: number | null;
  /** A few first records, for schema inference; null when the source cannot peek. */
  readonly sample: () => Promise<string[] | null>;
  readonly ack?: (origin: Origin) => void;
  /** Releases connections and commits what was acknowledged. */
  readonly close?: () => Promise<void>;
  /** Sources that can be checkpointed: every source of the train job. */
  readonly resume?: {
    /** The position before the first record, for a run without a checkpoint yet. */
    readonly start: CheckpointPosition;
    /**
     * The records after `position` (a restored checkpoint's), or from the source's own start when null.
     * Used instead of `records`: a source that commits (Kafka) then commits only what `saved` hands it.
     */
    readonly from: (position: CheckpointPosition | null) => Observable<SourceRecord>;
    /** A checkpoint covering every record before `position` is durable. */
    readonly saved?: (position: CheckpointPosition) => void;
  };
}

export interface TrainJobOptions {
  /** Written to while running (progress bar, inferred schema). Default process.stderr. */
  readonly log?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Ends the run gracefully when it emits. */
  readonly stop?: Observable<unknown>;
  /** A source other than the config's. */
  readonly source?: RecordSource;
  /** Consumer lag per partition, after each fetched batch (Kafka sources only). */
  readonly onLag?: (topic: string, partition: number, lag: number) => void;
  readonly progress?: boolean;
  /** Called with every learner event (metrics). */
  readonly onEvent?: (event: LearnerEvent, learner: Learner) => void;
  /** Called once the learner exists (restored), before the first record (the HTTP server). */
  readonly onLearner?: (learner: Learner, controls: TrainJobControls) => void | Promise<void>;
  /** A checkpoint became durable (the last-checkpoint metric). */
  readonly onCheckpoint?: (saved: SavedCheckpoint) => void;
  readonly label?: string;
}

/** What the HTTP admin routes can ask of a running job. */
export interface TrainJobControls {
  /** A checkpoint at the next step boundary, answering its file; null without checkpoint.dir. */
  readonly requestCheckpoint: (() => Promise<{ readonly path: string }>) | null;
}

export interface TrainJobResult {
  readonly learner: Learner;
  readonly summary: LearnerSummary;
  readonly seconds: number;
  readonly schema: RecordSchema;
  readonly inferredSchema: boolean;
}

export async function runTrainJob(config: AppConfig, options: TrainJobOptions = {}): Promise<TrainJobResult> {
  const log = options.log ?? process.stderr;
  const source = options.source ?? (await recordSourceOf(config, log, options));
  let schema: RecordSchema;
  let inferred: boolean;
  let learner: Learner;
  let deadLetters: DeadLetterSink | null;
  let checkpoints: RunCheckpoints | null;
  let input: Observable<SourceRecord>;
  try {
    ({ schema, inferred } = await schemaFor(config, source, log));
    learner = new Learner(learnerConfigOf(config, schema));
    checkpoints = await checkpointsOf(config, learner, source, log, options);
    input = checkpoints === null || source.resume === undefined ? source.records : source.resume.from(checkpoints.resumeFrom);
    const running = checkpoints;
    const dir = config.checkpoint.dir ?? '';
    const requestCheckpoint = running === null ? null : async () => ({ path: join(dir, (await running.request()).id) });
    await options.onLearner?.(learner, { requestCheckpoint });
    deadLetters = await deadLetterSinkOf(config);
  } catch (error) {
    // A Kafka source holds a group membership and sockets: without this, a setup error would hang the process.
    await source.close?.();
    throw error;
  }

  const stop = options.stop ?? new Subject<never>();
  let records = input.pipe(takeUntil(stop));
  if (config.training.maxRecords !== undefined) records = records.pipe(take(config.training.maxRecords));
  // Last, right before the learner: the checkpoint's position covers exactly the records it took.
  if (checkpoints !== null) records = checkpoints.track(records);

  const bar = new ProgressBar({ label: options.label ?? 'training', stream: log as NodeJS.WriteStream, force: options.progress });
  const total = config.training.maxRecords !== undefined && source.total !== null ? Math.min(source.total, config.training.maxRecords) : (source.total ?? config.training.maxRecords ?? null);
  const progress = () => {
    const s = learner.counters;
    const q = learner.setup.trainer.qualitySnapshot();
    return {
      done: s.records,
      total,
      loss: Number.isNaN(learner.setup.trainer.runningLoss.value) ? null : learner.setup.trainer.runningLoss.value,
      accuracy: q.windowAccuracy,
      rmse: q.windowRmse,
      rejected: Object.values(s.rejected).reduce((a, b) => a + b, 0) + s.samplesRefused,
    };
  };

  const started = performance.now();
  try {
    await runLearner(learner, records, {
      deadLetters,
      ack: source.ack,
      onEvent: (event) => {
        checkpoints?.onEvent(event);
        options.onEvent?.(event, learner);
        if (bar.active) bar.update(progress());
      },
    });
    await checkpoints?.finish();
  } finally {
    bar.finish(progress());
    await deadLetters?.close();
    await source.close?.();
  }
  const seconds = (performance.now() - started) / 1000;
  return { learner, summary: learner.summary(), seconds, schema, inferredSchema: inferred };
}

function recordSourceOf(config: AppConfig, log: NodeJS.WritableStream, options: TrainJobOptions): Promise<RecordSource> {
  if (config.source.type !== 'kafka') return fileSourceOf(config);
  return kafkaSourceOf(config, { onLag: options.onLag, warn: (message) => log.write(`${message}\n`) });
}

/** The configured file or shipped stream as a RecordSource. */
export async function fileSourceOf(config: AppConfig): Promise<RecordSource> {
  const { source } = config;
  let path: string;
  let description: string;
  if (source.type === 'file') {
    path = source.path;
    description = `file ${path}`;
  } else if (source.type === 'embedded') {
    const info = getStream(source.stream).info;
    const file = streamFilePath(info);
    if (file === null) {
      throw new ConfigError(`source.stream: '${source.stream}' is generated, not shipped: write it first with 'online-learner generate ${source.stream} --out FILE' and train with --file FILE`);
    }
    path = file;
    description = `recorded stream '${info.name}' (${file})`;
  } else {
    throw new ConfigError(`source.type: 'kafka' is not a file: read it with kafkaSourceOf`);
  }
  return {
    description,
    records: readJsonl(path, { maxLineBytes: source.maxRecordBytes }),
    total: await countRecords(path),
    sample: () => firstLines(path, 1000),
    resume: {
      start: { kind: 'file', path, nextLine: 1 },
      from: (position) => {
        if (position === null) return readJsonl(path, { maxLineBytes: source.maxRecordBytes });
        if (position.kind !== 'file' || position.path !== path) {
          throw new ConfigError(`checkpoint.dir: its checkpoints were taken reading ${JSON.stringify(position)}, this run reads ${path}: use that file or another checkpoint.dir`);
        }
        return readJsonl(path, { maxLineBytes: source.maxRecordBytes, startLine: position.nextLine });
      },
    },
  };
}

async function checkpointsOf(config: AppConfig, learner: Learner, source: RecordSource, log: NodeJS.WritableStream, options: TrainJobOptions): Promise<RunCheckpoints | null> {
  const { dir, keep, everySteps, everySeconds, reset } = config.checkpoint;
  if (dir === undefined) return null;
  const { resume } = source;
  if (resume === undefined) {
    throw new ConfigError(`checkpoint.dir: ${source.description} cannot start at a checkpointed position; omit checkpoint.dir`);
  }
  return openRunCheckpoints(learner, {
    dir,
    keep,
    everySteps,
    everySeconds,
    reset,
    start: resume.start,
    log: (line) => log.write(`${line}\n`),
    onSaved: (saved, position) => {
      resume.saved?.(position);
      options.onCheckpoint?.(saved);
    },
  });
}

async function schemaFor(config: AppConfig, source: RecordSource, log: NodeJS.WritableStream): Promise<{ schema: RecordSchema; inferred: boolean }> {
  if (config.schema !== undefined) return { schema: config.schema, inferred: false };
  if (config.source.type === 'embedded') {
    const info = getStream(config.source.stream).info;
    const schema: RecordSchema = {
      features: info.featureFormat === 'object' ? info.featureNames : info.featureNames.length,
      task: info.task,
      ...(info.classes.length > 0 ? { classes: info.classes } : {}),
    };
    return { schema, inferred: false };
  }
  const lines = await source.sample();
  if (lines === null || lines.length === 0) {
    throw new ConfigError('schema: missing and cannot be inferred from an empty source: declare schema.features and schema.task');
  }
  const inferred = inferSchema(lines, { maxRecordBytes: config.source.maxRecordBytes });
  log.write(`Inferred the record schema from ${inferred.examined} record(s) of ${source.description}:\n${inferred.description}\n`);
  return { schema: inferred.schema, inferred: true };
}

async function deadLetterSinkOf(config: AppConfig): Promise<DeadLetterSink | null> {
  if (config.deadLetter.topic !== undefined) return kafkaDeadLetterSinkOf(config);
  const path = config.deadLetter.path;
  if (path === undefined) return null;
  const sink = await JsonlSink.open(path);
  return { write: (letter) => sink.write(letter), close: () => sink.close() };
}
