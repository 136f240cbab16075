/**
 * `online-learner record` as a library call: consume a topic into a replayable .jsonl(.gz) file that
 * keeps each record's partition, offset, timestamp and key (record-format.ts) and stays a training
 * file. The file is replaced, not appended to.
 *
 * The run ends when `maxRecords` are written, after `idleExitMs` without a record, or when the signal
 * aborts; in every case the records already consumed are written, the file is closed (a .gz member
 * completed) and then the summary is returned. While it runs, the file is flushed every
 * flushIntervalMs.
 *
 * The consumer group is throw-away (a fresh random id unless one is given) and nothing is committed:
 * recording never moves a learner's offsets. Within a partition, lines are in offset order; partitions
 * interleave in the order their batches were fetched.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { JsonlSink } from '../sources/file/jsonl-sink.js';
import { createKafkaClient } from '../sources/kafka/index.js';
import type { KafkaClientOptions, KafkaConsumer, KafkaRecord } from '../sources/kafka/index.js';
import { formatRecordedLine } from './record-format.js';
import { checkTopic } from './replay-topic.js';

export interface RecordOptions {
  readonly kafka: KafkaClientOptions;
  readonly topic: string;
  /** Destination; `.gz` selects gzip. */
  readonly out: string;
  /** Start from the earliest retained record; otherwise only records produced after the group joined. */
  readonly fromBeginning?: boolean;
  readonly maxRecords?: number;
  /** End after this long without a record, once the group is joined. */
  readonly idleExitMs?: number;
  readonly groupId?: string;
  /** How long a fetch waits on the broker for data: bounds how late the idle timer and a stop are seen. */
  readonly maxWaitTimeMs?: number;
  /**
   * Hands what was written to the operating system this often, so a crash loses at most this much (a
   * .gz file then ends in an incomplete member: its flushed lines are readable, e.g. by zcat, which
   * warns about the end). The file is complete only once the run returns.
   */
  readonly flushIntervalMs?: number;
  readonly signal?: AbortSignal;
  /** Once the group is joined and consuming. */
  readonly onStart?: (info: { readonly partitions: number }) => void;
  /** After every fetched batch is written. */
  readonly onProgress?: (recorded: number) => void;
  /** Problems that do not end the run (a consumer restart). */
  readonly warn?: (message: string) => void;
}

export type RecordEnd = 'max' | 'idle' | 'stopped';

export interface RecordSummary {
  readonly records: number;
  /** Records written per partition. */
  readonly byPartition: Readonly<Record<number, number>>;
  readonly partitions: number;
  readonly end: RecordEnd;
  readonly seconds: number;
}

export async function runRecord(options: RecordOptions): Promise<RecordSummary> {
  const { topic, out, maxRecords, idleExitMs, fromBeginning = false, maxWaitTimeMs = 250 } = options;
  if (maxRecords !== undefined && (!Number.isSafeInteger(maxRecords) || maxRecords < 1)) {
    throw new ConfigError(`max: ${maxRecords} is invalid: must be a positive integer`);
  }
  if (idleExitMs !== undefined && (!Number.isFinite(idleExitMs) || idleExitMs <= 0)) {
    throw new ConfigError(`idleExitMs: ${idleExitMs} is invalid: must be a positive number of milliseconds`);
  }
  const { flushIntervalMs } = options;
  if (flushIntervalMs !== undefined && (!Number.isFinite(flushIntervalMs) || flushIntervalMs <= 0)) {
    throw new ConfigError(`flushIntervalMs: ${flushIntervalMs} is invalid: must be a positive number of milliseconds`);
  }
  const partitions = (await checkTopic(options.kafka, topic)).length;
  const started = performance.now();
  await rm(out, { force: true });
  const sink = await JsonlSink.open(out);
  const groupId = options.groupId ?? `online-learner-record-${randomUUID()}`;
  let consumer: KafkaConsumer;
  try {
    consumer = await createKafkaClient(options.kafka).consumer({ groupId, topics: [topic], fromBeginning, maxWaitTimeMs });
  } catch (error) {
    await sink.close().catch(() => undefined);
    throw error;
  }
  let outcome: Awaited<ReturnType<typeof consumeInto>>;
  try {
    outcome = await consumeInto(consumer, sink, options, partitions);
  } catch (error) {
    // The first error is the one to report; cleaning up after it is best effort.
    await consumer.disconnect().catch(() => undefined);
    await sink.close().catch(() => undefined);
    throw error;
  }
  // Order matters: the batch in flight finishes writing before the file is closed.
  await consumer.disconnect();
  await sink.close();
  return { ...outcome, partitions, seconds: (performance.now() - started) / 1000 };
}

async function consumeInto(
  consumer: KafkaConsumer,
  sink: JsonlSink,
  options: RecordOptions,
  partitions: number,
): Promise<{ end: RecordEnd; byPartition: Record<number, number>; records: number }> {
  const { maxRecords, idleExitMs, signal, flushIntervalMs = 1_000 } = options;
  const byPartition: Record<number, number> = {};
  let records = 0;
  let finished: RecordEnd | null = null;
  let idleTimer: NodeJS.Timeout | undefined;
  let settle!: { resolve: (end: RecordEnd) => void; reject: (error: unknown) => void };
  const done = new Promise<RecordEnd>((resolve, reject) => (settle = { resolve, reject }));
  // A crash can settle `done` before it is awaited (while the group is still joining).
  done.catch(() => undefined);

  const finish = (end: RecordEnd): void => {
    if (finished !== null) return;
    finished = end;
    clearTimeout(idleTimer);
    // Nothing more is fetched; the group is left by disconnect() once the batch in flight returns.
    consumer.pause(consumer.assignment());
    settle.resolve(end);
  };
  const armIdleTimer = (): void => {
    if (idleExitMs === undefined || finished !== null) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => finish('idle'), idleExitMs);
  };
  const onAbort = (): void => finish('stopped');
  if (signal?.aborted === true) finish('stopped');
  signal?.addEventListener('abort', onAbort);

  // Writes and periodic flushes take turns on the sink: one chain, in order.
  let sinkTurn: Promise<void> = Promise.resolve();
  const onSink = (operation: () => Promise<void>): Promise<void> => (sinkTurn = sinkTurn.then(operation));
  const flushTimer = setInterval(() => {
    onSink(() => sink.flush()).catch((error: unknown) => settle.reject(error));
  }, flushIntervalMs);

  const write = async (batch: readonly KafkaRecord[]): Promise<void> => {
    for (const record of batch) {
      if (finished !== null) return;
      await sink.writeLine(formatRecordedLine(record));
      records++;
      byPartition[record.origin.partition] = (byPartition[record.origin.partition] ?? 0) + 1;
      if (records === maxRecords) finish('max');
    }
  };

  try {
    await consumer.consume({
      onBatch: async (batch) => {
        if (finished !== null || batch.length === 0) return;
        clearTimeout(idleTimer);
        try {
          await onSink(() => write(batch));
        } finally {
          armIdleTimer();
        }
        options.onProgress?.(records);
      },
      onCrash: (error, restarting) => {
        if (restarting) options.warn?.(`consumer restarting after: ${error.message}`);
        else settle.reject(error);
      },
      onAssigned: (assigned) => {
        if (finished !== null) consumer.pause(assigned);
      },
    });
    options.onStart?.({ partitions });
    armIdleTimer();
    const end = await done;
    return { end, byPartition, records };
  } finally {
    clearTimeout(idleTimer);
    clearInterval(flushTimer);
    signal?.removeEventListener('abort', onAbort);
    await sinkTurn.catch(() => undefined);
  }
}
