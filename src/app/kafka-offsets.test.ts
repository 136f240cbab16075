import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import { compareOffsets, OffsetTracker, PartitionOffsets } from './kafka-offsets.js';

const origin = (partition: number, offset: number | string) => ({
  kind: 'kafka' as const,
  topic: 't',
  partition,
  offset: String(offset),
});

describe('compareOffsets', () => {
  it('orders decimal offsets numerically, including past 2^53', () => {
    expect(compareOffsets('9', '10')).toBeLessThan(0);
    expect(compareOffsets('10', '9')).toBeGreaterThan(0);
    expect(compareOffsets('42', '42')).toBe(0);
    expect(compareOffsets('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
  });
});

describe('PartitionOffsets', () => {
  it('commits nothing before the first record', () => {
    expect(new PartitionOffsets().committable()).toBeNull();
  });

  it('holds the commit at the lowest pending offset while later ones are acknowledged', () => {
    const p = new PartitionOffsets();
    for (const o of ['10', '11', '12']) p.consume(o);
    expect(p.committable()).toBe('10');
    p.ack('11');
    p.ack('12');
    expect(p.committable()).toBe('10');
    p.ack('10');
    // Nothing pending: last consumed + 1.
    expect(p.committable()).toBe('13');
    expect(p.pendingCount).toBe(0);
  });

  it('follows gaps in the offsets (compaction, transaction markers)', () => {
    const p = new PartitionOffsets();
    for (const o of ['5', '9', '20']) p.consume(o);
    p.ack('5');
    expect(p.committable()).toBe('9');
    p.ack('9');
    expect(p.committable()).toBe('20');
    p.ack('20');
    expect(p.committable()).toBe('21');
  });

  it('refuses a redelivered offset and an acknowledgement of an offset that is not pending', () => {
    const p = new PartitionOffsets();
    expect(p.consume('3')).toBe(true);
    expect(p.consume('4')).toBe(true);
    expect(p.consume('3')).toBe(false);
    expect(p.consume('4')).toBe(false);
    expect(p.ack('7')).toBe(false);
    expect(p.ack('3')).toBe(true);
    expect(p.ack('3')).toBe(false);
    expect(p.pendingCount).toBe(1);
  });

  it('increments offsets past 2^53 exactly', () => {
    const p = new PartitionOffsets();
    p.consume('9007199254740993');
    p.ack('9007199254740993');
    expect(p.committable()).toBe('9007199254740994');
  });

  it('matches a brute-force minimum over 5,000 records acknowledged in a random order', () => {
    // Enough records to compact the queue several times (it compacts every 1,024 acknowledged).
    const rng = new Rng(7);
    const offsets = Array.from({ length: 5000 }, (_, i) => 3 * i + 1);
    const p = new PartitionOffsets();
    const unacked = new Set<number>();
    let consumed = 0;
    const order: number[] = [];
    const mismatches: string[] = [];
    while (consumed < offsets.length || order.length > 0) {
      // Consume 0-2 more, then acknowledge a random pending one (a shuffle buffer's pattern).
      const more = consumed < offsets.length ? rng.int(3) : 0;
      for (let k = 0; k < more && consumed < offsets.length; k++) {
        p.consume(String(offsets[consumed]));
        unacked.add(offsets[consumed]);
        order.push(offsets[consumed]);
        consumed++;
      }
      if (order.length === 0) continue;
      const [picked] = order.splice(rng.int(order.length), 1);
      if (!p.ack(String(picked))) mismatches.push(`ack ${picked}`);
      unacked.delete(picked);
      const expected = String(unacked.size > 0 ? Math.min(...unacked) : offsets[consumed - 1] + 1);
      if (p.committable() !== expected) mismatches.push(`${p.committable()} instead of ${expected}`);
    }
    expect(mismatches).toEqual([]);
    expect(p.committable()).toBe(String(offsets[offsets.length - 1] + 1));
  });
});

describe('PartitionOffsets past 2^53', () => {
  it('stays exact when offsets cross 2^53 with records in flight, and refuses redeliveries on both sides', () => {
    // 2^53 = 9007199254740992: from here on a double would round odd offsets.
    const base = 2n ** 53n - 150n;
    const offsets = Array.from({ length: 300 }, (_, i) => (base + BigInt(i)).toString());
    const p = new PartitionOffsets();
    for (const o of offsets.slice(0, 200)) expect(p.consume(o)).toBe(true);
    // Acknowledged from the newest down: everything stays pending behind the oldest.
    for (let i = 199; i >= 1; i--) expect(p.ack(offsets[i])).toBe(true);
    expect(p.committable()).toBe(offsets[0]);
    expect(p.consume(offsets[120])).toBe(false);
    for (const o of offsets.slice(200)) expect(p.consume(o)).toBe(true);
    expect(p.consume('9007199254740993')).toBe(false);
    expect(p.ack(offsets[0])).toBe(true);
    expect(p.committable()).toBe(offsets[200]);
    for (const o of offsets.slice(200)) expect(p.ack(o)).toBe(true);
    expect(p.ack(offsets[299])).toBe(false);
    expect(p.committable()).toBe('9007199254741142');
    expect(p.nextToRead()).toBe('9007199254741142');
    expect(p.pendingCount).toBe(0);
  });
});

describe('PartitionOffsets.startAt (resuming after a checkpoint)', () => {
  it('treats every offset below the resume point as consumed and reads on from it', () => {
    const p = new PartitionOffsets();
    p.startAt('9007199254740993');
    expect(p.nextToRead()).toBe('9007199254740993');
    expect(p.consume('9007199254740992')).toBe(false);
    expect(p.consume('9007199254740993')).toBe(true);
    expect(p.nextToRead()).toBe('9007199254740994');
  });

  it('resumes at offset 0 without skipping it', () => {
    const p = new PartitionOffsets();
    p.startAt('0');
    expect(p.nextToRead()).toBe('0');
    expect(p.committable()).toBeNull();
    expect(p.consume('0')).toBe(true);
    expect(p.nextToRead()).toBe('1');
  });

  it('knows no next offset for a partition never read nor resumed', () => {
    expect(new PartitionOffsets().nextToRead()).toBeNull();
    expect(new OffsetTracker().nextToRead({ topic: 't', partition: 3 })).toBeNull();
  });
});

describe('OffsetTracker', () => {
  it('keeps partitions apart and lists committable offsets by partition', () => {
    const tracker = new OffsetTracker();
    tracker.consume(origin(2, 0));
    tracker.consume(origin(0, 7));
    tracker.consume(origin(0, 8));
    tracker.ack(origin(0, 7));
    tracker.ack(origin(2, 0));
    expect(tracker.committable()).toEqual([
      { topic: 't', partition: 0, offset: '8' },
      { topic: 't', partition: 2, offset: '1' },
    ]);
  });

  it('leaves out the partitions the filter refuses', () => {
    const tracker = new OffsetTracker();
    tracker.consume(origin(0, 0));
    tracker.consume(origin(1, 0));
    expect(tracker.committable((key) => key.endsWith('\u00001'))).toEqual([{ topic: 't', partition: 1, offset: '0' }]);
  });

  it('does not acknowledge a record of a partition it never saw', () => {
    expect(new OffsetTracker().ack(origin(4, 0))).toBe(false);
  });
});
