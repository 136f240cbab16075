import { Subject, take, takeUntil } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BatchContext, BatchHandler, KafkaConsumer } from '../sources/kafka/consumer.js';
import type { KafkaRecord, PartitionOffset, TopicPartition } from '../sources/kafka/types.js';
import type { SourceRecord } from '../sources/types.js';
import { kafkaRecordSource as createSource } from './kafka-source.js';
import type { KafkaSourceOptions } from './kafka-source.js';

const opened: Array<ReturnType<typeof createSource>> = [];

afterEach(async () => {
  vi.useRealTimers();
  // Stops the commit timers of sources a test did not close itself (close() is idempotent).
  await Promise.all(opened.splice(0).map((source) => source.close()));
});

/** A consumer whose batches the test delivers by hand. */
class FakeConsumer implements KafkaConsumer {
  handler: BatchHandler | null = null;
  readonly commits: PartitionOffset[][] = [];
  readonly log: string[] = [];
  heartbeats = 0;
  failCommits = 0;
  assigned: TopicPartition[] = [{ topic: 't', partition: 0 }];
  pausedPartitions: TopicPartition[] = [];

  async consume(handler: BatchHandler): Promise<void> {
    this.handler = handler;
    handler.onAssigned?.(this.assigned);
  }
  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (this.failCommits > 0) {
      this.failCommits--;
      throw new Error('REBALANCE_IN_PROGRESS');
    }
    this.commits.push([...offsets]);
    this.log.push(`commit ${offsets.map((o) => `${o.partition}:${o.offset}`).join(',')}`);
  }
  pause(partitions: readonly TopicPartition[]): void {
    this.pausedPartitions.push(...partitions);
  }
  resume(): void {}
  paused(): TopicPartition[] {
    return this.pausedPartitions;
  }
  seek(position: PartitionOffset): void {
    this.log.push(`seek ${position.partition}:${position.offset}`);
  }
  assignment(): TopicPartition[] {
    return this.assigned;
  }
  async disconnect(): Promise<void> {
    this.log.push('disconnect');
  }

  deliver(records: KafkaRecord[], highWatermark = '1000'): Promise<void> {
    const context: BatchContext = {
      topic: 't',
      partition: records[0]?.origin.partition ?? 0,
      highWatermark,
      heartbeat: async () => void this.heartbeats++,
      isStale: () => false,
      isRunning: () => true,
    };
    return (this.handler as BatchHandler).onBatch(records, context);
  }
}

const record = (offset: number, partition = 0): KafkaRecord => ({
  value: `v${offset}`,
  headers: {},
  origin: { kind: 'kafka', topic: 't', partition, offset: String(offset) },
});
const range = (from: number, to: number, partition = 0) =>
  Array.from({ length: to - from }, (_, i) => record(from + i, partition));
const offsetOf = (r: SourceRecord) => Number((r.origin as { offset: string }).offset);

const kafkaRecordSource = (...args: Parameters<typeof createSource>) => {
  const source = createSource(...args);
  opened.push(source);
  return source;
};

const options = (extra: Partial<KafkaSourceOptions> = {}): KafkaSourceOptions => ({
  description: 'kafka topic t',
  topics: ['t'],
  maxHeldRecords: 100,
  resumeHeldRecords: 50,
  commitIntervalMs: 60_000,
  ...extra,
});

/** Lets the consume() promise and the source's reactions to it run. */
const settle = () => new Promise((done) => setImmediate(done));

describe('kafkaRecordSource', () => {
  it('emits each batch in order and, on close, commits the lowest unacknowledged offset, then disconnects', async () => {
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options());
    const seen: number[] = [];
    source.records.subscribe((r) => seen.push(offsetOf(r)));
    await settle();
    await consumer.deliver(range(0, 5));
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    // A shuffle buffer acknowledges out of order: 3 stays pending, so 3 is the next offset to read.
    for (const o of [1, 0, 4, 2]) source.ack(record(o).origin);
    await source.close();
    expect(consumer.log).toEqual(['commit 0:3', 'disconnect']);
    expect(source.committed()).toEqual([{ topic: 't', partition: 0, offset: '3' }]);
  });

  it('does not emit a redelivered record twice', async () => {
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options());
    const seen: number[] = [];
    source.records.subscribe((r) => seen.push(offsetOf(r)));
    await settle();
    await consumer.deliver(range(0, 3));
    // kafkajs refetches from the last resolved offset after a rebalance.
    await consumer.deliver(range(1, 5));
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops emitting at maxHeldRecords and resumes at resumeHeldRecords, heartbeating while it waits', async () => {
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options({ maxHeldRecords: 4, resumeHeldRecords: 2, heartbeatEveryMs: 5 }));
    const seen: number[] = [];
    source.records.subscribe((r) => seen.push(offsetOf(r)));
    await settle();
    const delivered = consumer.deliver(range(0, 8));
    await new Promise((done) => setTimeout(done, 30));
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(consumer.heartbeats).toBeGreaterThan(0);
    source.ack(record(0).origin);
    await settle();
    // 3 held: above the resume mark.
    expect(seen).toHaveLength(4);
    source.ack(record(1).origin);
    await settle();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    for (const o of [2, 3, 4, 5]) source.ack(record(o).origin);
    await delivered;
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(source.held()).toEqual({ now: 2, max: 4 });
  });

  it('stops mid-batch when unsubscribed (take), pauses fetching and commits only what was acknowledged', async () => {
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options());
    const seen: number[] = [];
    source.records.pipe(take(3)).subscribe((r) => seen.push(offsetOf(r)));
    await settle();
    await consumer.deliver(range(0, 10));
    expect(seen).toEqual([0, 1, 2]);
    expect(consumer.pausedPartitions).toEqual([{ topic: 't', partition: 0 }]);
    source.ack(record(0).origin);
    source.ack(record(1).origin);
    await source.close();
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 0, offset: '2' }]]);
  });

  it('emits nothing more once a stop signal arrived, even from batches fetched before the pause', async () => {
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options());
    const stop = new Subject<void>();
    const seen: number[] = [];
    let completed = false;
    source.records.pipe(takeUntil(stop)).subscribe({ next: (r) => seen.push(offsetOf(r)), complete: () => (completed = true) });
    await settle();
    await consumer.deliver(range(0, 2));
    stop.next();
    await consumer.deliver(range(2, 4));
    expect(seen).toEqual([0, 1]);
    expect(completed).toBe(true);
  });

  it('completes after idleExitMs without a record, counting from the group join and from the last batch', async () => {
    vi.useFakeTimers();
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options({ idleExitMs: 1000 }));
    let completed = false;
    source.records.subscribe({ complete: () => (completed = true) });
    await vi.advanceTimersByTimeAsync(900);
    await consumer.deliver(range(0, 1));
    await vi.advanceTimersByTimeAsync(900);
    expect(completed).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(completed).toBe(true);
    expect(consumer.pausedPartitions).toEqual([{ topic: 't', partition: 0 }]);
  });

  it('commits changed offsets every commitIntervalMs and retries a failed commit at the next tick', async () => {
    vi.useFakeTimers();
    const consumer = new FakeConsumer();
    const warnings: string[] = [];
    const source = kafkaRecordSource(consumer, options({ commitIntervalMs: 1000, warn: (m) => warnings.push(m) }));
    source.records.subscribe();
    await vi.advanceTimersByTimeAsync(0);
    await consumer.deliver(range(0, 4));
    source.ack(record(0).origin);
    consumer.failCommits = 1;
    await vi.advanceTimersByTimeAsync(1000);
    expect(warnings).toEqual(['kafka topic t: commit failed, retrying later: REBALANCE_IN_PROGRESS']);
    await vi.advanceTimersByTimeAsync(1000);
    // Unchanged since the last commit: not sent again.
    await vi.advanceTimersByTimeAsync(1000);
    source.ack(record(1).origin);
    await vi.advanceTimersByTimeAsync(1000);
    expect(consumer.commits).toEqual([
      [{ topic: 't', partition: 0, offset: '1' }],
      [{ topic: 't', partition: 0, offset: '2' }],
    ]);
    await source.close();
  });

  it('commits only the partitions still assigned: a revoked one belongs to its new owner', async () => {
    const consumer = new FakeConsumer();
    consumer.assigned = [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ];
    const source = kafkaRecordSource(consumer, options());
    source.records.subscribe();
    await settle();
    await consumer.deliver(range(0, 2, 0));
    await consumer.deliver(range(0, 2, 1));
    for (const p of [0, 1]) for (const o of [0, 1]) source.ack(record(o, p).origin);
    consumer.assigned = [{ topic: 't', partition: 1 }];
    await source.close();
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 1, offset: '2' }]]);
  });

  it('reports the lag behind the end of the partition after each batch', async () => {
    const consumer = new FakeConsumer();
    const lags: string[] = [];
    const source = kafkaRecordSource(consumer, options({ onLag: (t, p, lag) => lags.push(`${t}/${p}: ${lag}`) }));
    source.records.subscribe();
    await settle();
    // Last offset 4, end offset 12: records 5..11 are still to read.
    await consumer.deliver(range(0, 5), '12');
    expect(lags).toEqual(['t/0: 7']);
  });

  it('fails the stream when the consumer crashes for good, and only warns when kafkajs restarts it', async () => {
    const consumer = new FakeConsumer();
    const warnings: string[] = [];
    const source = kafkaRecordSource(consumer, options({ warn: (m) => warnings.push(m) }));
    let failure: unknown = null;
    source.records.subscribe({ error: (e) => (failure = e) });
    await settle();
    consumer.handler?.onCrash(new Error('broker gone'), true);
    expect(failure).toBeNull();
    expect(warnings).toEqual(['kafka topic t: consumer restarting after broker gone']);
    const fatal = new Error('decoder bug');
    consumer.handler?.onCrash(fatal, false);
    expect(failure).toBe(fatal);
  });

  it('only disconnects on close after a crash for good: a stopped consumer cannot commit', async () => {
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options());
    source.records.subscribe({ error: () => undefined });
    await settle();
    await consumer.deliver(range(0, 2));
    source.ack(record(0).origin);
    consumer.handler?.onCrash(new Error('decoder bug'), false);
    await source.close();
    expect(consumer.log).toEqual(['disconnect']);
  });

  it('lets the event loop run during a long batch (checkpoint writes, scrapes), heartbeating meanwhile', async () => {
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options({ heartbeatEveryMs: 0 }));
    const events: string[] = [];
    source.records.subscribe((r) => {
      // A slow synchronous step: 1 ms per record.
      const until = performance.now() + 1;
      while (performance.now() < until);
      events.push(`record ${offsetOf(r)}`);
      source.ack(r.origin);
    });
    await settle();
    setImmediate(() => events.push('event loop'));
    await consumer.deliver(range(0, 100));
    const turn = events.indexOf('event loop');
    expect(turn).toBeGreaterThan(0);
    expect(turn).toBeLessThan(100);
    expect(consumer.heartbeats).toBeGreaterThan(0);
  });

  it('with overlapFetches, returns once a batch is handed over and emits it meanwhile; the next batch waits for it', async () => {
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options({ maxHeldRecords: 4, resumeHeldRecords: 2, heartbeatEveryMs: 5, overlapFetches: true }));
    const seen: number[] = [];
    source.records.subscribe((r) => seen.push(offsetOf(r)));
    await settle();
    // Returns although records 4-7 wait for room: kafkajs may fetch the next batch now.
    await consumer.deliver(range(0, 8));
    expect(seen).toEqual([0, 1, 2, 3]);
    let secondReturned = false;
    const second = consumer.deliver(range(8, 10)).then(() => (secondReturned = true));
    await new Promise((done) => setTimeout(done, 30));
    expect(secondReturned).toBe(false);
    expect(consumer.heartbeats).toBeGreaterThan(0);
    for (const o of [0, 1, 2, 3]) source.ack(record(o).origin);
    await second;
    // The second batch was handed over once the first one was emitted whole; it waits for room.
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const o of [4, 5, 6, 7]) source.ack(record(o).origin);
    await settle();
    // 8 and 9 only after the whole first batch, in order.
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('with overlapFetches, a stop mid-batch emits nothing more and commits only what was acknowledged', async () => {
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options({ maxHeldRecords: 4, resumeHeldRecords: 2, overlapFetches: true }));
    const seen: number[] = [];
    source.records.pipe(take(3)).subscribe((r) => seen.push(offsetOf(r)));
    await settle();
    await consumer.deliver(range(0, 10));
    source.ack(record(0).origin);
    source.ack(record(1).origin);
    await source.close();
    expect(seen).toEqual([0, 1, 2]);
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 0, offset: '2' }]]);
  });

  it('refuses a second subscription', async () => {
    const source = kafkaRecordSource(new FakeConsumer(), options());
    source.records.subscribe();
    let failure: Error | null = null;
    source.records.subscribe({ error: (e: Error) => (failure = e) });
    expect(failure).toMatchObject({ code: 'KAFKA_CONSUMER_STATE' });
  });
});

describe('kafkaRecordSource with checkpoints (resume.from)', () => {
  const position = (offsets: Record<string, Record<string, string>>) => ({ kind: 'kafka' as const, offsets });

  it('seeks every assigned partition to the checkpoint before the first fetch and drops records below it', async () => {
    const consumer = new FakeConsumer();
    consumer.assigned = [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
      { topic: 't', partition: 2 },
    ];
    const source = kafkaRecordSource(consumer, options());
    const seen: string[] = [];
    source.resume.from(position({ t: { '0': '5', '1': '0' } })).subscribe((r) => seen.push(`${r.origin.kind === 'kafka' ? r.origin.partition : ''}:${offsetOf(r)}`));
    await settle();
    // Partition 2 is not in the checkpoint: it starts where the group (or fromBeginning) says.
    expect(consumer.log).toEqual(['seek 0:5', 'seek 1:0']);
    // A fetch that raced the seek: 3 and 4 are in the checkpoint's model already.
    await consumer.deliver(range(3, 7, 0));
    await consumer.deliver(range(0, 2, 1));
    expect(seen).toEqual(['0:5', '0:6', '1:0', '1:1']);
  });

  it('on a rejoin seeks past what it read, not back to the checkpoint', async () => {
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options());
    const seen: number[] = [];
    source.resume.from(position({ t: { '0': '10' } })).subscribe((r) => seen.push(offsetOf(r)));
    await settle();
    await consumer.deliver(range(10, 14));
    consumer.handler?.onAssigned?.(consumer.assigned);
    expect(consumer.log).toEqual(['seek 0:10', 'seek 0:14']);
    expect(seen).toEqual([10, 11, 12, 13]);
  });

  it('commits only positions of durable checkpoints: never acknowledged offsets, periodically or on close', async () => {
    vi.useFakeTimers();
    const consumer = new FakeConsumer();
    const source = kafkaRecordSource(consumer, options({ commitIntervalMs: 100 }));
    source.resume.from(null).subscribe();
    await vi.advanceTimersByTimeAsync(0);
    await consumer.deliver(range(0, 6));
    for (const o of [0, 1, 2, 3, 4, 5]) source.ack(record(o).origin);
    await vi.advanceTimersByTimeAsync(1000);
    expect(consumer.commits).toEqual([]);
    source.resume.saved?.(position({ t: { '0': '4' }, other: { '0': '9' } }));
    await source.close();
    // Only the subscribed topic's partitions; close adds nothing of its own.
    expect(consumer.log).toEqual(['commit 0:4', 'disconnect']);
  });

  it('refuses a checkpoint taken on another topic or from a file', () => {
    const source = kafkaRecordSource(new FakeConsumer(), options());
    expect(() => source.resume.from(position({ elsewhere: { '0': '3' } }))).toThrow(/taken reading topic\(s\) elsewhere, this run reads kafka topic t/);
    const other = kafkaRecordSource(new FakeConsumer(), options());
    expect(() => other.resume.from({ kind: 'file', path: 'a.jsonl', nextLine: 4 })).toThrow(/taken reading a file source/);
  });
});
