/**
 * Offset arithmetic on decimal strings. Kafka offsets are int64 and may pass 2^53, so they are compared
 * and incremented as BigInt, never as Number.
 */
import type { KafkaRecord, PartitionOffset, TopicPartition } from './types.js';

export function partitionKey({ topic, partition }: TopicPartition): string {
  return `${topic}\u0000${partition}`;
}

/**
 * The offsets to commit once `records` are processed: per topic-partition, the highest offset + 1
 * (Kafka commits the next offset to read). Order of the input does not matter.
 */
export function nextOffsets(records: readonly KafkaRecord[]): PartitionOffset[] {
  const highest = new Map<string, { topic: string; partition: number; offset: bigint }>();
  for (const { origin } of records) {
    const key = partitionKey(origin);
    const offset = BigInt(origin.offset);
    const seen = highest.get(key);
    if (seen === undefined) highest.set(key, { topic: origin.topic, partition: origin.partition, offset });
    else if (offset > seen.offset) seen.offset = offset;
  }
  return [...highest.values()].map(({ topic, partition, offset }) => ({
    topic,
    partition,
    offset: (offset + 1n).toString(),
  }));
}

/** Records between committed and end; a partition without a commit counts from `low` (default 0). */
export function lag(end: string, committed: string | null, low = '0'): bigint {
  const from = BigInt(committed ?? low);
  const behind = BigInt(end) - from;
  return behind > 0n ? behind : 0n;
}
