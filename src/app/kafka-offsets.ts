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

const INITIAL_CAPACITY = 64;

/** Decimal int64 strings without leading zeros compare by length, then by digits: no BigInt per record. */
export function compareOffsets(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The offset as an exact number, or -1 at or past 2^53 (where a double would round it). */
function exactNumber(offset: string): number {
  // 15 digits stay below 10^15 < 2^53: the common case needs no range check.
  const n = Number(offset);
  return offset.length <= 15 || n <= Number.MAX_SAFE_INTEGER ? n : -1;
}

/**
 * Consumed offsets live in a ring, oldest first: `count` entries from `head`, each flagged once
 * acknowledged; the acknowledged prefix is dropped as it forms, so memory follows the records in flight.
 * They are numbers (no string or Map entry per record) until one reaches 2^53, after which the partition
 * keeps them as decimal strings, exact at any int64.
 */
export class PartitionOffsets {
  private numbers = new Float64Array(INITIAL_CAPACITY);
  /** Replaces `numbers` once an offset reached 2^53. */
  private strings: string[] | null = null;
  private acked = new Uint8Array(INITIAL_CAPACITY);
  private mask = INITIAL_CAPACITY - 1;
  private head = 0;
  private count = 0;
  private pending = 0;
  private lastConsumed: string | null = null;
  /** lastConsumed as a number while `strings` is null; -1 when nothing was consumed. */
  private lastConsumedNumber = -1;
  /** Where reading resumes when nothing was consumed yet (a checkpoint's next offset). */
  private resumeAt: string | null = null;

  /**
   * Resumes after a checkpoint that covers every offset below `next`: those count as consumed (a batch
   * fetched before the seek took effect is never emitted again). Before the first record only.
   */
  startAt(next: string): void {
    this.resumeAt = next;
    // Offset 0 has nothing before it; "-1" would also break compareOffsets' digit order.
    if (next === '0') return;
    this.lastConsumed = (BigInt(next) - 1n).toString();
    this.lastConsumedNumber = exactNumber(this.lastConsumed);
    if (this.lastConsumedNumber < 0) this.toStrings();
  }

  /** The next offset to read: after the last consumed one, else the resume point; null when unknown. */
  nextToRead(): string | null {
    return this.lastConsumed === null ? this.resumeAt : this.after(this.lastConsumed);
  }

  /**
   * Records `offset` as consumed. False for an offset at or below the last one consumed: kafkajs
   * redelivers a batch after a rebalance or a retried fetch, and that record is already in flight.
   */
  consume(offset: string): boolean {
    if (this.strings === null) {
      const n = exactNumber(offset);
      if (n >= 0) {
        if (n <= this.lastConsumedNumber) return false;
        this.lastConsumedNumber = n;
        this.lastConsumed = offset;
        // Order matters: push() may grow the ring, replacing the array.
        const slot = this.push();
        this.numbers[slot] = n;
        return true;
      }
      this.toStrings();
    }
    if (this.lastConsumed !== null && compareOffsets(offset, this.lastConsumed) <= 0) return false;
    this.lastConsumed = offset;
    const slot = this.push();
    (this.strings as string[])[slot] = offset;
    return true;
  }

  /** False when `offset` is not pending (never consumed, or acknowledged already). */
  ack(offset: string): boolean {
    const slot = this.slotOf(offset);
    if (slot < 0 || this.acked[slot] === 1) return false;
    this.acked[slot] = 1;
    this.pending--;
    const { acked, mask } = this;
    while (this.count > 0 && acked[this.head] === 1) {
      acked[this.head] = 0;
      this.head = (this.head + 1) & mask;
      this.count--;
    }
    return true;
  }

  /** The next offset to read once everything before it is applied; null before the first record. */
  committable(): string | null {
    if (this.count > 0) return this.strings === null ? String(this.numbers[this.head]) : this.strings[this.head];
    return this.lastConsumed === null ? null : this.after(this.lastConsumed);
  }

  /** Consumed and not yet acknowledged. */
  get pendingCount(): number {
    return this.pending;
  }

  private after(offset: string): string {
    return this.strings === null ? String(this.lastConsumedNumber + 1) : (BigInt(offset) + 1n).toString();
  }

  /** Appends an unacknowledged entry, growing the ring when full; returns its slot. */
  private push(): number {
    if (this.count === this.acked.length) this.grow();
    const slot = (this.head + this.count) & this.mask;
    this.count++;
    this.pending++;
    return slot;
  }

  /** The ring slot of a consumed offset still in the ring, else -1. Offsets ascend from head: bisect. */
  private slotOf(offset: string): number {
    const { head, count, mask, strings } = this;
    if (count === 0) return -1;
    let lo = 0;
    let hi = count - 1;
    if (strings === null) {
      const n = exactNumber(offset);
      const numbers = this.numbers;
      // Offsets are usually contiguous: try the guess before bisecting.
      const guess = n - numbers[head];
      if (guess >= 0 && guess < count && numbers[(head + guess) & mask] === n) return (head + guess) & mask;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = numbers[(head + mid) & mask];
        if (v === n) return (head + mid) & mask;
        if (v < n) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    }
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const order = compareOffsets(strings[(head + mid) & mask], offset);
      if (order === 0) return (head + mid) & mask;
      if (order < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Doubles the ring, moving its entries to the start. */
  private grow(): void {
    const capacity = this.acked.length * 2;
    const numbers = new Float64Array(capacity);
    const strings = this.strings === null ? null : new Array<string>(capacity);
    const acked = new Uint8Array(capacity);
    for (let k = 0; k < this.count; k++) {
      const slot = (this.head + k) & this.mask;
      numbers[k] = this.numbers[slot];
      if (strings !== null) strings[k] = (this.strings as string[])[slot];
      acked[k] = this.acked[slot];
    }
    this.numbers = numbers;
    this.strings = strings;
    this.acked = acked;
    this.mask = capacity - 1;
    this.head = 0;
  }

  /** From now on offsets are kept as strings: one reached 2^53. */
  private toStrings(): void {
    const strings = new Array<string>(this.acked.length);
    for (let k = 0; k < this.count; k++) {
      const slot = (this.head + k) & this.mask;
      strings[slot] = String(this.numbers[slot]);
    }
    this.strings = strings;
  }
}

interface PartitionEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offsets: PartitionOffsets;
}

/**
 * PartitionOffsets for every partition the source has read from. Records come in one-partition
 * batches, so the last partition used is kept at hand: no key string or Map lookup per record.
 */
export class OffsetTracker {
  private readonly partitions = new Map<string, PartitionEntry>();
  private last: PartitionEntry | null = null;

  consume(origin: KafkaOrigin): boolean {
    return this.entry(origin, true).offsets.consume(origin.offset);
  }

  /** See PartitionOffsets.startAt. */
  startAt(partition: TopicPartition, next: string): void {
    this.entry(partition, true).offsets.startAt(next);
  }

  nextToRead(partition: TopicPartition): string | null {
    return this.entry(partition, false)?.offsets.nextToRead() ?? null;
  }

  ack(origin: KafkaOrigin): boolean {
    return this.entry(origin, false)?.offsets.ack(origin.offset) ?? false;
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

  private entry(tp: TopicPartition, create: true): PartitionEntry;
  private entry(tp: TopicPartition, create: false): PartitionEntry | undefined;
  private entry({ topic, partition }: TopicPartition, create: boolean): PartitionEntry | undefined {
    const last = this.last;
    if (last !== null && last.partition === partition && last.topic === topic) return last;
    const key = partitionKey({ topic, partition });
    let entry = this.partitions.get(key);
    if (entry === undefined && create) {
      entry = { topic, partition, offsets: new PartitionOffsets() };
      this.partitions.set(key, entry);
    }
    if (entry !== undefined) this.last = entry;
    return entry;
  }
}
