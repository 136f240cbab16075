/**
 * The shapes of our Kafka layer. Nothing here names kafkajs: a later client swap touches the other
 * files of this folder only.
 */
import type { Origin, SourceRecord } from '../types.js';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * A position in a partition. Offsets are int64, kept as decimal strings. For commits and seeks the
 * offset is Kafka's "next offset to read": the last processed offset + 1.
 */
export interface PartitionOffset extends TopicPartition {
  readonly offset: string;
}

/** A group's committed position in a partition; `null` when the group never committed there. */
export interface CommittedOffset extends TopicPartition {
  readonly offset: string | null;
}

export type KafkaOrigin = Extract<Origin, { kind: 'kafka' }>;

/**
 * Decoded header values are bytes; a key sent more than once arrives as an array in send order.
 */
export type KafkaHeaders = Readonly<Record<string, Buffer | readonly Buffer[]>>;

/** A consumed record: a SourceRecord whose origin is always Kafka, plus the record's headers. */
export interface KafkaRecord extends SourceRecord {
  readonly origin: KafkaOrigin;
  readonly headers: KafkaHeaders;
}

/** One record to produce. Without `partition` the key picks it (murmur2, as the Java client does). */
export interface ProduceRecord {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
  readonly partition?: number;
  /** Defaults to the send time. Kafka 4 brokers reject timestamps more than an hour ahead. */
  readonly timestampMs?: number;
}

export interface TopicSpec {
  readonly topic: string;
  readonly partitions?: number;
  /** Omitted: the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  /** Topic configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  readonly config?: Readonly<Record<string, string>>;
}
