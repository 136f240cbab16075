/**
 * Batch producer. Records go out in one request per call, partitioned by key with the Java client's
 * murmur2 partitioner unless a record names its partition.
 */
import { CompressionTypes, Partitioners } from 'kafkajs';
import type { Kafka, Message } from 'kafkajs';
import { ConfigError } from '../../errors.js';
import { kafkaCall } from './errors.js';
import type { PartitionOffset, ProduceRecord } from './types.js';
import { requirePositiveInteger } from './validate.js';

export interface KafkaProducerOptions {
  /** -1: every in-sync replica (durable), 1: the leader only, 0: no acknowledgement. */
  readonly acks?: -1 | 0 | 1;
  readonly timeoutMs?: number;
  readonly compression?: 'none' | 'gzip';
  /** Off by default: a typo in a topic name should fail, not create a topic. */
  readonly allowAutoTopicCreation?: boolean;
}

export interface KafkaProducer {
  /**
   * Resolves when the broker acknowledged; per partition written, the offset of the first record
   * ("-1" with acks 0, where the broker answers nothing).
   */
  send(topic: string, records: readonly ProduceRecord[]): Promise<PartitionOffset[]>;
  disconnect(): Promise<void>;
}

export async function connectProducer(
  kafka: Kafka,
  { acks = -1, timeoutMs = 30_000, compression = 'none', allowAutoTopicCreation = false }: KafkaProducerOptions,
): Promise<KafkaProducer> {
  if (acks !== -1 && acks !== 0 && acks !== 1) {
    throw new ConfigError(`producer.acks: ${JSON.stringify(acks)} must be -1, 0 or 1`);
  }
  requirePositiveInteger('producer.timeoutMs', timeoutMs);
  if (compression !== 'none' && compression !== 'gzip') {
    throw new ConfigError(`producer.compression: ${JSON.stringify(compression)} must be none or gzip`);
  }
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation });
  await kafkaCall('connect producer', () => producer.connect());
  const codec = compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  return {
    async send(topic, records) {
      if (records.length === 0) return [];
      const messages = records.map(toMessage);
      const written = await kafkaCall(`send ${records.length} records to ${topic}`, () =>
        producer.send({ topic, messages, acks, timeout: timeoutMs, compression: codec }),
      );
      return written
        .map(({ partition, baseOffset }) => ({ topic, partition, offset: baseOffset ?? '-1' }))
        .sort((a, b) => a.partition - b.partition);
    },
    disconnect: () => kafkaCall('disconnect producer', () => producer.disconnect()),
  };
}

export function toMessage({ key, value, headers, partition, timestampMs }: ProduceRecord): Message {
  const message: Message = { key: key ?? null, value };
  if (headers !== undefined) message.headers = { ...headers };
  if (partition !== undefined) message.partition = partition;
  if (timestampMs !== undefined) message.timestamp = String(timestampMs);
  return message;
}
