/**
 * `online-learner replay` as a library call: produce the records of a .jsonl(.gz) file (a recorded
 * stream, or a file written by `online-learner record`) into a Kafka topic, once or in a loop, at a
 * bounded rate or with the recorded gaps between records. Lines become message values (recordings are
 * unwrapped, record-format.ts); keys come from --key FIELD or the recording. Stopping (the signal)
 * finishes the send in flight and resolves normally.
 *
 * Delivery is at least once: kafkajs retries a failed produce request whole, so a broker error in the
 * middle of a send can duplicate the records of that send that had already been written.
 */
import { ConfigError } from '../errors.js';
import { createKafkaClient, KafkaError } from '../sources/kafka/index.js';
import type { KafkaClientOptions, KafkaProducerOptions } from '../sources/kafka/index.js';
import { ReplayLineReader } from './replay-lines.js';
import { replayPass } from './replay-pass.js';
import { systemClock, TokenBucket } from './replay-rate.js';
import type { Clock } from './replay-rate.js';
import { checkTopic } from './replay-topic.js';

export interface ReplayOptions {
  readonly kafka: KafkaClientOptions;
  readonly topic: string;
  readonly path: string;
  /** Records per second; omitted: as fast as one send in flight allows. */
  readonly ratePerSecond?: number;
  /** Largest burst above the rate, in milliseconds of the rate (see replay-rate.ts). */
  readonly burstMs?: number;
  /** 'recorded': wait the gaps between the recorded timestamps (files from `online-learner record`). */
  readonly timing?: 'none' | 'recorded';
  /** Divides the recorded gaps: 2 replays twice as fast. */
  readonly speed?: number;
  /** Repeat the file until the signal aborts. */
  readonly loop?: boolean;
  /** Top-level field of each value to use as the message key; omitted: the recorded key, if any. */
  readonly keyField?: string;
  readonly maxBatchRecords?: number;
  readonly maxLineBytes?: number;
  /** Create the topic with this many partitions when it does not exist. */
  readonly createPartitions?: number;
  readonly producer?: KafkaProducerOptions;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  /** Once the topic is checked, before the first record. */
  readonly onStart?: (info: { readonly partitions: number }) => void;
  /** After every acknowledged send. */
  readonly onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  /** Records acknowledged by the broker so far, all passes. */
  readonly produced: number;
  /** 1-based number of the pass in progress. */
  readonly pass: number;
}

export interface ReplaySummary {
  readonly records: number;
  /** Passes that reached the end of the file. */
  readonly passes: number;
  /** True when the signal ended the replay. */
  readonly stopped: boolean;
  readonly partitions: number;
  /** Records sent without a key because their value lacked keyField. */
  readonly keyless: number;
  readonly seconds: number;
}

export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const { topic, path, signal, clock = systemClock, timing = 'none', speed = 1, loop = false } = options;
  const { maxBatchRecords = 500, maxLineBytes = 1024 * 1024 } = options;
  if (!Number.isFinite(speed) || speed <= 0) throw new ConfigError(`speed: ${speed} is invalid: must be a positive number`);
  if (!Number.isInteger(maxBatchRecords) || maxBatchRecords < 1) {
    throw new ConfigError(`maxBatchRecords: ${maxBatchRecords} is invalid: must be a positive integer`);
  }
  if (options.keyField === '') throw new ConfigError('key: must name a top-level field of the records');
  const bucket =
    options.ratePerSecond === undefined ? null : new TokenBucket({ ratePerSecond: options.ratePerSecond, burstMs: options.burstMs, clock });

  const partitions = (await checkTopic(options.kafka, topic, { createPartitions: options.createPartitions })).length;
  options.onStart?.({ partitions });
  const producer = await createKafkaClient(options.kafka).producer(options.producer);
  const started = clock.now();
  let produced = 0;
  let passes = 0;
  let keyless = 0;
  let stopped = false;
  try {
    for (;;) {
      const lines = new ReplayLineReader(path, { maxLineBytes });
      let pass;
      try {
        pass = await replayPass({
          lines,
          send: async (records) => {
            try {
              await producer.send(topic, records);
              // The first send also connects to the partition leaders and loads metadata: tokens that
              // accrued meanwhile would go out as a burst that steady-state latency never causes.
              if (produced === 0) bucket?.restart();
            } catch (error) {
              if (!(error instanceof KafkaError)) throw error;
              const message = `replay into '${topic}' failed after ${produced} records: ${error.message}`;
              throw new KafkaError(error.code, message, { retriable: error.retriable, cause: error });
            }
          },
          clock,
          bucket,
          timing: timing === 'recorded' ? { speed } : null,
          keyField: options.keyField ?? null,
          maxBatchRecords,
          maxLineBytes,
          signal,
          onSent: (n) => {
            produced += n;
            options.onProgress?.({ produced, pass: passes + 1 });
          },
        });
      } finally {
        lines.close();
      }
      keyless += pass.keyless;
      if (!pass.completed) {
        stopped = true;
        break;
      }
      passes++;
      if (!loop) break;
      // An empty file would make --loop spin without ever producing.
      if (pass.records === 0) throw new ConfigError(`replay --loop: ${path} has no records to repeat`);
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  return { records: produced, passes, stopped, partitions, keyless, seconds: (clock.now() - started) / 1000 };
}
