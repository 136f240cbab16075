/**
 * Checkpoints in a Kafka compacted topic, for learners that move between machines: the key is the
 * learner id, the value the checkpoint file's bytes (codec.ts). Compaction keeps at least the newest
 * value per key forever; older values linger until the log cleaner passes, and while they do `latest()`
 * can fall back to them past a corrupt newest one.
 *
 * Limits (the value is one Kafka record, never split):
 *  - The topic's `max.message.bytes` must exceed the checkpoint size (parameters + optimizer slots +
 *    residents; 4 bytes per float32, e.g. ~12 MB for 1M parameters with Adam). The store creates a
 *    missing topic with `cleanup.policy=compact` and `maxMessageBytes` (default 64 MiB); an existing
 *    topic keeps its settings, and a too-large checkpoint is refused by the broker (MESSAGE_TOO_LARGE).
 *  - A broker's `socket.request.max.bytes` (default 100 MiB) caps any single request: stay under it.
 *  - `latest()` reads the whole topic from the beginning with a throw-away consumer group (no offsets
 *    are committed) and keeps the last few values of this learner's key: share one topic among a
 *    fleet, not with other data.
 *  - Writes use acks=-1: `save` resolves once every in-sync replica has the checkpoint (give the topic
 *    replication.factor >= 3 and min.insync.replicas >= 2 in production).
 */
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../errors.js';
import type { KafkaAdmin } from '../sources/kafka/admin.js';
import type { KafkaClient } from '../sources/kafka/client.js';
import { KafkaError } from '../sources/kafka/errors.js';
import type { KafkaProducer } from '../sources/kafka/producer.js';
import { decodeCheckpoint, encodeCheckpoint } from './codec.js';
import { CheckpointCorruptError } from './errors.js';
import type { Checkpoint, CheckpointStore, LoadedCheckpoint, SavedCheckpoint } from './types.js';

export interface KafkaStoreOptions {
  readonly client: KafkaClient;
  readonly topic: string;
  /** The record key: one learner's checkpoints. */
  readonly learnerId: string;
  /** `max.message.bytes` of a topic this store creates. */
  readonly maxMessageBytes?: number;
  /** Of a topic this store creates; omitted: the broker's default. */
  readonly replicationFactor?: number;
  /** Newest values of this key kept while reading, i.e. how far `latest()` can fall back. */
  readonly fallbackDepth?: number;
  /** How long `latest()` may take to read the topic to its end. */
  readonly readTimeoutMs?: number;
  readonly warn?: (message: string) => void;
}

const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const RETRY_DELAY_MS = 500;

interface StoredValue {
  readonly id: string;
  readonly value: Buffer;
}

export class KafkaCheckpointStore implements CheckpointStore {
  readonly description: string;

  private constructor(
    private readonly options: Required<Omit<KafkaStoreOptions, 'replicationFactor'>>,
    private readonly admin: KafkaAdmin,
    private readonly producer: KafkaProducer,
  ) {
    this.description = `Kafka topic ${options.topic} (key ${options.learnerId})`;
  }

  static async open({
    client,
    topic,
    learnerId,
    maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
    replicationFactor,
    fallbackDepth = 3,
    readTimeoutMs = 60_000,
    warn = () => undefined,
  }: KafkaStoreOptions): Promise<KafkaCheckpointStore> {
    if (typeof learnerId !== 'string' || learnerId === '') {
      throw new ConfigError(`checkpoint.learnerId: ${JSON.stringify(learnerId)} is invalid: must be a non-empty string`);
    }
    if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1024) {
      throw new ConfigError(`checkpoint.maxMessageBytes: ${maxMessageBytes} is invalid: must be an integer >= 1024`);
    }
    if (!(readTimeoutMs > 0)) throw new ConfigError(`checkpoint.readTimeoutMs: ${readTimeoutMs} is invalid: must be > 0`);
    if (!Number.isInteger(fallbackDepth) || fallbackDepth < 1) {
      throw new ConfigError(`checkpoint.fallbackDepth: ${fallbackDepth} is invalid: must be an integer >= 1`);
    }
    const admin = await client.admin();
    try {
      await admin.createTopics([
        { topic, partitions: 1, replicationFactor, config: { 'cleanup.policy': 'compact', 'max.message.bytes': String(maxMessageBytes) } },
      ]);
      const producer = await client.producer({ acks: -1 });
      return new KafkaCheckpointStore({ client, topic, learnerId, maxMessageBytes, fallbackDepth, readTimeoutMs, warn }, admin, producer);
    } catch (err) {
      await admin.disconnect();
      throw err;
    }
  }

  async save(checkpoint: Checkpoint): Promise<SavedCheckpoint> {
    const started = performance.now();
    const bytes = encodeCheckpoint(checkpoint);
    const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const [written] = await this.producer.send(this.options.topic, [{ key: this.options.learnerId, value }]);
    const id = `${written.topic}/${written.partition}@${written.offset}`;
    return { id, bytes: bytes.byteLength, durationMs: performance.now() - started };
  }

  async latest(): Promise<LoadedCheckpoint | null> {
    const values = await this.readValues();
    const warnings: string[] = [];
    for (let i = values.length - 1; i >= 0; i--) {
      const { id, value } = values[i];
      try {
        return { checkpoint: decodeCheckpoint(value), id, warnings };
      } catch (err) {
        if (!(err instanceof CheckpointCorruptError)) throw err;
        const message = `checkpoint ${id} is unreadable (${err.message}); falling back to the previous one`;
        warnings.push(message);
        this.options.warn(message);
      }
    }
    if (values.length > 0) {
      const { learnerId, topic } = this.options;
      throw new CheckpointCorruptError(`none of the ${values.length} checkpoints of ${learnerId} in ${topic} is readable: ${warnings.join(' | ')}`);
    }
    return null;
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  /**
   * This learner's newest `fallbackDepth` values, oldest first. A retriable Kafka error (a group
   * coordinator still loading after a broker start, a rebalance) restarts the read with a new group.
   */
  private async readValues(): Promise<StoredValue[]> {
    const deadline = Date.now() + this.options.readTimeoutMs;
    for (;;) {
      try {
        return await this.readOnce(deadline);
      } catch (err) {
        if (!(err instanceof KafkaError) || !err.retriable || Date.now() + RETRY_DELAY_MS >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  }

  /** Reads from the beginning to the end offsets of when it started, with a throw-away group. */
  private async readOnce(deadline: number): Promise<StoredValue[]> {
    const { client, topic, learnerId, fallbackDepth, maxMessageBytes } = this.options;
    const remaining = new Map<number, bigint>();
    for (const { partition, offset } of await this.admin.endOffsets(topic)) {
      if (BigInt(offset) > 0n) remaining.set(partition, BigInt(offset) - 1n);
    }
    if (remaining.size === 0) return [];
    const values: StoredValue[] = [];
    const consumer = await client.consumer({
      groupId: `${learnerId}.checkpoint-reader.${randomBytes(6).toString('hex')}`,
      topics: [topic],
      fromBeginning: true,
      // One checkpoint per fetch at least (brokers return a first record larger than the limit anyway).
      maxBytesPerPartition: maxMessageBytes,
      maxWaitTimeMs: 500,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new KafkaError('KAFKA_TIMEOUT', `reading checkpoints from ${topic} to its end did not finish in time`)),
          Math.max(0, deadline - Date.now()),
        );
        const finish = (err?: unknown): void => {
          clearTimeout(timer);
          if (err === undefined) resolve();
          else reject(err);
        };
        consumer
          .consume({
            onBatch: async (records) => {
              for (const { origin, value } of records) {
                if (origin.kind === 'kafka' && origin.key === learnerId && value !== null) {
                  values.push({ id: `${origin.topic}/${origin.partition}@${origin.offset}`, value: Buffer.from(value) });
                  if (values.length > fallbackDepth) values.shift();
                }
                const last = remaining.get(origin.partition);
                if (last !== undefined && BigInt(origin.offset) >= last) remaining.delete(origin.partition);
              }
              if (remaining.size === 0) finish();
            },
            onCrash: (error) => finish(error),
          })
          .catch(finish);
      });
    } finally {
      await consumer.disconnect();
    }
    return values;
  }
}
