/**
 * A consumer-group member with manual commits, shaped for a backpressured stream (the pipeline wraps
 * it in an Observable):
 *
 *   - onBatch(records, context) gets one partition's batch at a time (kafkajs eachBatch, no
 *     concurrency). When it resolves, the fetch position moves past the batch; nothing is committed.
 *   - commit(offsets) commits exactly the offsets given (next offset to read, see nextOffsets), when
 *     the caller knows them durable. kafkajs autoCommit is off: without explicit offsets it would
 *     commit nothing at all (commitOffsetsIfNecessary() is a no-op then).
 *   - pause/resume per topic-partition apply backpressure; context.heartbeat() keeps the membership
 *     alive while onBatch waits for the stream to drain.
 *   - onAssigned runs on every (re)join, before any fetch: the place to seek() to positions kept
 *     elsewhere (a checkpoint), which is also how a restart after a crash resumes correctly.
 *
 * Errors: a KafkaError thrown out of onBatch (from heartbeat() or commit()) is Kafka's business and
 * kafkajs retries, rejoins or restarts, redelivering the batch. Any other error thrown by onBatch
 * stops the consumer and is handed to onCrash unchanged, with restarting = false.
 */
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { ConfigError } from '../../errors.js';
import { isKafkaJSError, kafkaCall, KafkaError, toKafkaError } from './errors.js';
import { partitionKey } from './offsets.js';
import type { KafkaHeaders, KafkaRecord, PartitionOffset, TopicPartition } from './types.js';
import { requireNonEmptyString, requirePositiveInteger } from './validate.js';

export interface KafkaConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * Where a group without a committed offset starts. True by default, unlike Kafka's "latest": a new
   * learner is expected to train on the retained backlog rather than skip it silently.
   */
  readonly fromBeginning?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly rebalanceTimeoutMs?: number;
  readonly maxBytesPerPartition?: number;
  /** How long the broker may hold a fetch that has no data yet. */
  readonly maxWaitTimeMs?: number;
}

export interface BatchContext {
  readonly topic: string;
  readonly partition: number;
  /** The partition's end offset when the batch was fetched. */
  readonly highWatermark: string;
  /** Tells the group this member is alive; kafkajs throttles it to heartbeatIntervalMs. */
  heartbeat(): Promise<void>;
  /** True once a seek or rebalance made the rest of this batch obsolete: return early. */
  isStale(): boolean;
  /** False once disconnect() began: return so that it can finish. */
  isRunning(): boolean;
}

export interface BatchHandler {
  onBatch(records: readonly KafkaRecord[], context: BatchContext): Promise<void>;
  /** restarting: kafkajs rejoins by itself and delivery resumes from the committed offsets. */
  onCrash(error: Error, restarting: boolean): void;
  onAssigned?(partitions: readonly TopicPartition[]): void;
}

export interface KafkaConsumer {
  /** Starts consuming; resolves once the group is joined (or the first crash was reported). Once only. */
  consume(handler: BatchHandler): Promise<void>;
  commit(offsets: readonly PartitionOffset[]): Promise<void>;
  /** Takes effect at the next fetch; survives rejoins and restarts until resume. */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  paused(): TopicPartition[];
  /** The next offset to deliver for an assigned partition; call from onAssigned or onBatch. */
  seek(position: PartitionOffset): void;
  /** The partitions of the last join; empty while not a member. */
  assignment(): TopicPartition[];
  /** Waits for the batch in flight, leaves the group, closes connections. */
  disconnect(): Promise<void>;
}

const EMPTY_HEADERS: KafkaHeaders = Object.freeze({});
const OFFSET = /^\d+$/;

export async function connectConsumer(
  kafka: Kafka,
  {
    groupId,
    topics,
    fromBeginning = true,
    sessionTimeoutMs = 30_000,
    heartbeatIntervalMs = 3_000,
    rebalanceTimeoutMs = 60_000,
    maxBytesPerPartition = 1_048_576,
    maxWaitTimeMs = 5_000,
  }: KafkaConsumerOptions,
): Promise<KafkaConsumer> {
  requireNonEmptyString('consumer.groupId', groupId);
  if (!Array.isArray(topics) || topics.length === 0) {
    throw new ConfigError(`consumer.topics: ${JSON.stringify(topics)} must be a non-empty list of topic names`);
  }
  requirePositiveInteger('consumer.sessionTimeoutMs', sessionTimeoutMs);
  requirePositiveInteger('consumer.heartbeatIntervalMs', heartbeatIntervalMs);
  requirePositiveInteger('consumer.rebalanceTimeoutMs', rebalanceTimeoutMs);
  requirePositiveInteger('consumer.maxBytesPerPartition', maxBytesPerPartition);
  requirePositiveInteger('consumer.maxWaitTimeMs', maxWaitTimeMs);
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new ConfigError(
      `consumer.heartbeatIntervalMs: ${heartbeatIntervalMs} must be below sessionTimeoutMs (${sessionTimeoutMs})`,
    );
  }

  // Set when onBatch throws its own error; it stops the consumer for good (see restartOnFailure).
  let handlerFailure: Error | undefined;
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: heartbeatIntervalMs,
    rebalanceTimeout: rebalanceTimeoutMs,
    maxBytesPerPartition,
    maxWaitTimeInMs: maxWaitTimeMs,
    allowAutoTopicCreation: false,
    retry: { restartOnFailure: async () => handlerFailure === undefined },
  });
  await kafkaCall(`connect consumer of group ${groupId}`, () => consumer.connect());
  await kafkaCall(`subscribe group ${groupId} to ${topics.join(', ')}`, () =>
    consumer.subscribe({ topics: [...topics], fromBeginning }),
  );

  let started = false;
  let assigned: TopicPartition[] = [];
  // Ours, not kafkajs': a restart after a crash builds a new kafkajs group and would forget pauses.
  const pausedByKey = new Map<string, TopicPartition>();

  return {
    async consume(handler) {
      if (started) throw new KafkaError('KAFKA_CONSUMER_STATE', `group ${groupId}: consume() was already called`);
      started = true;
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        assigned = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
          partitions.map((partition) => ({ topic, partition })),
        );
        if (pausedByKey.size > 0) consumer.pause(byTopic([...pausedByKey.values()]));
        handler.onAssigned?.(assigned);
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        assigned = [];
        handler.onCrash(handlerFailure ?? toKafkaError(payload.error, `consumer of group ${groupId}`), payload.restart);
      });
      const eachBatch = async (payload: EachBatchPayload): Promise<void> => {
        const { batch } = payload;
        const records = toKafkaRecords(batch.topic, batch.partition, batch.messages);
        try {
          await handler.onBatch(records, {
            topic: batch.topic,
            partition: batch.partition,
            highWatermark: batch.highWatermark,
            heartbeat: () => kafkaCall(`heartbeat of group ${groupId}`, payload.heartbeat),
            isStale: payload.isStale,
            isRunning: payload.isRunning,
          });
        } catch (error) {
          if (error instanceof KafkaError) {
            // kafkajs recognises its own errors (rebalances, retries); our own KafkaErrors carry the
            // same `retriable` flag it reads.
            throw isKafkaJSError(error.cause) ? error.cause : error;
          }
          handlerFailure = error instanceof Error ? error : new Error(String(error));
          throw new KafkaError('KAFKA_HANDLER_FAILED', `group ${groupId}: onBatch failed`, { cause: error });
        }
        // After a seek the next fetch starts at the sought offset whatever is resolved here.
        if (records.length > 0 && !payload.isStale()) {
          payload.resolveOffset(records[records.length - 1].origin.offset);
        }
      };
      await kafkaCall(`run consumer of group ${groupId}`, () =>
        consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1, eachBatch }),
      );
    },

    async commit(offsets) {
      if (offsets.length === 0) return;
      for (const { offset } of offsets) requireOffset('commit offset', offset);
      // kafkajs returns silently without committing when its runner is not running (stopped, or between
      // a crash and the restart); its commit event is the only proof that a commit happened.
      const pending = new Map(offsets.map((o) => [partitionKey(o), o.offset]));
      const stopListening = consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
        for (const { topic, partitions } of payload.topics) {
          for (const { partition, offset } of partitions) {
            const key = partitionKey({ topic, partition: Number(partition) });
            if (pending.get(key) === String(offset)) pending.delete(key);
          }
        }
      });
      try {
        await kafkaCall(`commit offsets of group ${groupId}`, () =>
          consumer.commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset }))),
        );
      } finally {
        stopListening();
      }
      if (pending.size > 0) {
        throw new KafkaError(
          'KAFKA_COMMIT_NOT_APPLIED',
          `group ${groupId}: ${pending.size} offset(s) not committed, ` +
            'the consumer is not running (stopped, or restarting after a crash)',
          { retriable: true },
        );
      }
    },

    pause(partitions) {
      for (const tp of partitions) pausedByKey.set(partitionKey(tp), { topic: tp.topic, partition: tp.partition });
      if (started && partitions.length > 0) consumer.pause(byTopic(partitions));
    },

    resume(partitions) {
      for (const tp of partitions) pausedByKey.delete(partitionKey(tp));
      if (started && partitions.length > 0) consumer.resume(byTopic(partitions));
    },

    paused: () => [...pausedByKey.values()],

    seek({ topic, partition, offset }) {
      requireOffset('seek offset', offset);
      if (!started) throw new KafkaError('KAFKA_CONSUMER_STATE', `group ${groupId}: seek() before consume()`);
      consumer.seek({ topic, partition, offset });
    },

    assignment: () => [...assigned],

    disconnect: () => kafkaCall(`disconnect consumer of group ${groupId}`, () => consumer.disconnect()),
  };
}

export function toKafkaRecords(topic: string, partition: number, messages: readonly KafkaMessage[]): KafkaRecord[] {
  const records = new Array<KafkaRecord>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const { key, value, offset, timestamp, headers } = messages[i];
    records[i] = {
      value,
      // Decoded headers are always Buffers (arrays for repeated keys); kafkajs' type is wider.
      headers: (headers as KafkaHeaders | undefined) ?? EMPTY_HEADERS,
      origin: {
        kind: 'kafka',
        topic,
        partition,
        offset,
        timestampMs: Number(timestamp),
        key: key === null ? null : key.toString('utf8'),
      },
    };
  }
  return records;
}

function byTopic(partitions: readonly TopicPartition[]): Array<{ topic: string; partitions: number[] }> {
  const grouped = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const list = grouped.get(topic);
    if (list === undefined) grouped.set(topic, [partition]);
    else list.push(partition);
  }
  return [...grouped].map(([topic, list]) => ({ topic, partitions: list }));
}

function requireOffset(field: string, offset: string): void {
  if (typeof offset !== 'string' || !OFFSET.test(offset)) {
    throw new ConfigError(`${field}: ${JSON.stringify(offset)} must be a non-negative integer as a decimal string`);
  }
}
