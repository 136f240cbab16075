/**
 * Which Kafka offsets may be committed while records are still in the pipeline.
 *
 * A record is consumed when the source emits it and acknowledged when the learner is done with it
 * (trained, refused or dead-lettered). The shuffle buffer acknowledges out of order, so per partition
 *
 *   committable = the lowest consumed offset not yet acknowledged, or last consumed + 1 when none is pending
 *
 * Everything below that offset has been applied, and nothing at or above it is committed: a restart from
 * the commit re-reads exactly the records that were still in flight (at-least-once, never a loss).
 * Offsets in a partition need not be contiguous (compaction, transaction markers), so each consumed offset
 * is remembered until the ones before it are acknowledged; memory is bounded by the records in flight.
 */
import { partitionKey } from '../sources/kafka/offsets.js';
import type { KafkaOrigin, PartitionOffset, TopicPartition } from '../sources/kafka/types.js';

/** Dropping the acknowledged head of the queue costs a copy: do it rarely, and only when it halves the queue. */
const COMPACT_AFTER = 1024;

/** Decimal int64 strings without leading zeros compare by length, then by digits: no BigInt per record. */
export function compareOffsets(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export class PartitionOffsets {
  /** Consumed offsets in consumption order (ascending); entries before `head` are acknowledged. */
  private offsets: string[] = [];
  private acked: boolean[] = [];
  private head = 0;
  /** Position in `offsets` of each pending offset. */
  private readonly pending = new Map<string, number>();
  private lastConsumed: string | null = null;
  /** Where reading resumes when nothing was consumed yet (a checkpoint's next offset). */
  private resumeAt: string | null = null;

  /**
   * Resumes after a checkpoint that covers every offset below `next`: those count as consumed (a batch
   * fetched before the seek took effect is never emitted again). Before the first record only.
   */
  startAt(next: string): void {
    this.resumeAt = next;
    // Offset 0 has nothing before it; "-1" would also break compareOffsets' digit order.
    if (next !== '0') this.lastConsumed = (BigInt(next) - 1n).toString();
  }

  /** The next offset to read: after the last consumed one, else the resume point; null when unknown. */
  nextToRead(): string | null {
    return this.lastConsumed === null ? this.resumeAt : (BigInt(this.lastConsumed) + 1n).toString();
  }

  /**
   * Records `offset` as consumed. False for an offset at or below the last one consumed: kafkajs
   * redelivers a batch after a rebalance or a retried fetch, and that record is already in flight.
   */
  consume(offset: string): boolean {
    if (this.lastConsumed !== null && compareOffsets(offset, this.lastConsumed) <= 0) return false;
    this.lastConsumed = offset;
    this.pending.set(offset, this.offsets.length);
    this.offsets.push(offset);
    this.acked.push(false);
    return true;
  }

  /** False when `offset` is not pending (never consumed, or acknowledged already). */
  ack(offset: string): boolean {
    const index = this.pending.get(offset);
    if (index === undefined) return false;
    this.pending.delete(offset);
    this.acked[index] = true;
    while (this.head < this.offsets.length && this.acked[this.head]) this.head++;
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.offsets.length) this.compact();
    return true;
  }

  /** The next offset to read once everything before it is applied; null before the first record. */
  committable(): string | null {
    if (this.head < this.offsets.length) return this.offsets[this.head];
    return this.lastConsumed === null ? null : (BigInt(this.lastConsumed) + 1n).toString();
  }

  /** Consumed and not yet acknowledged. */
  get pendingCount(): number {
    return this.pending.size;
  }

  private compact(): void {
    this.offsets = this.offsets.slice(this.head);
    this.acked = this.acked.slice(this.head);
    this.head = 0;
    for (let i = 0; i < this.offsets.length; i++) {
      if (!this.acked[i]) this.pending.set(this.offsets[i], i);
    }
  }
}

/** PartitionOffsets for every partition the source has read from. */
export class OffsetTracker {
  private readonly partitions = new Map<string, { topic: string; partition: number; offsets: PartitionOffsets }>();

  consume(origin: KafkaOrigin): boolean {
    return this.entry(origin).offsets.consume(origin.offset);
  }

  /** See PartitionOffsets.startAt. */
  startAt(partition: TopicPartition, next: string): void {
    this.entry(partition).offsets.startAt(next);
  }

  nextToRead(partition: TopicPartition): string | null {
    return this.partitions.get(partitionKey(partition))?.offsets.nextToRead() ?? null;
  }

  ack(origin: KafkaOrigin): boolean {
    return this.partitions.get(partitionKey(origin))?.offsets.ack(origin.offset) ?? false;
  }

  /** Committable offsets of the partitions `include` accepts (by default all read so far), by partition. */
  committable(include: (key: string) => boolean = () => true): PartitionOffset[] {
    const result: PartitionOffset[] = [];
    for (const [key, { topic, partition, offsets }] of this.partitions) {
      const offset = offsets.committable();
      if (offset !== null && include(key)) result.push({ topic, partition, offset });
    }
    return result.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  }

  private entry({ topic, partition }: TopicPartition): { topic: string; partition: number; offsets: PartitionOffsets } {
    const key = partitionKey({ topic, partition });
    let entry = this.partitions.get(key);
    if (entry === undefined) {
      entry = { topic, partition, offsets: new PartitionOffsets() };
      this.partitions.set(key, entry);
    }
    return entry;
  }
}
