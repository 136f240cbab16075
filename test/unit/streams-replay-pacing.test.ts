/**
 * Replay pacing in virtual time: the token bucket (src/app/replay-rate.ts) and one replay pass
 * (src/app/replay-pass.ts) driven by a fake clock whose sleep() advances time at once, and a fake send
 * that takes a set number of milliseconds. No Kafka, no real waiting.
 */
import { describe, expect, it } from 'vitest';
import { replayPass } from '../../src/app/replay-pass.js';
import type { LineSource, ReplayPassOptions } from '../../src/app/replay-pass.js';
import { TokenBucket } from '../../src/app/replay-rate.js';
import type { Clock } from '../../src/app/replay-rate.js';
import { ConfigError } from '../../src/errors.js';
import type { ProduceRecord } from '../../src/sources/kafka/types.js';
import type { SourceRecord } from '../../src/sources/types.js';

class VirtualClock implements Clock {
  t = 0;
  /** Called after every sleep: the place to act "at" a virtual time. */
  afterSleep: () => void = () => undefined;
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted !== true) this.t += ms;
    this.afterSleep();
  }
}

function lines(texts: readonly string[]): LineSource {
  let next = 0;
  const at = (i: number): SourceRecord => ({ value: Buffer.from(texts[i]), origin: { kind: 'file', path: 'f.jsonl', line: i + 1 } });
  return {
    peek: async () => (next < texts.length ? at(next) : null),
    shift: () => at(next++),
  };
}

interface Sent {
  readonly atMs: number;
  readonly records: ProduceRecord[];
}

function pass(texts: readonly string[], clock: VirtualClock, options: Partial<ReplayPassOptions> & { sendMs?: number } = {}) {
  const sent: Sent[] = [];
  const run = replayPass({
    lines: lines(texts),
    send: async (records) => {
      sent.push({ atMs: clock.t, records });
      clock.t += options.sendMs ?? 2;
    },
    clock,
    bucket: null,
    timing: null,
    keyField: null,
    maxBatchRecords: 500,
    maxLineBytes: 1024,
    ...options,
  });
  return { run, sent };
}

const numbered = (n: number): string[] => Array.from({ length: n }, (_, i) => `{"i":${i}}`);
const valueOf = (r: ProduceRecord): string => String(r.value);

/** Records sent in each one-second window [k s, k+1 s). */
function perSecond(sent: readonly Sent[]): number[] {
  const windows: number[] = [];
  for (const { atMs, records } of sent) {
    const k = Math.floor(atMs / 1000);
    windows[k] = (windows[k] ?? 0) + records.length;
  }
  return Array.from(windows, (n) => n ?? 0);
}

describe('TokenBucket', () => {
  it('starts empty, refills at the rate and holds at most the burst capacity', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 500, burstMs: 100, clock });
    // 500/s * 0.1 s = 50 tokens of burst.
    expect(bucket.capacity).toBe(50);
    expect(bucket.available()).toBe(0);
    clock.t = 20;
    expect(bucket.available()).toBe(10);
    clock.t = 10_000;
    expect(bucket.available()).toBe(50);
    bucket.take(50);
    await bucket.waitFor(5);
    // 5 tokens at 500/s take 10 ms.
    expect(clock.t).toBe(10_010);
    clock.t = 10_500;
    bucket.restart();
    expect(bucket.available()).toBe(0);
  });

  it('lets a slow rate send one record at a time', () => {
    expect(new TokenBucket({ ratePerSecond: 0.5 }).capacity).toBe(1);
  });

  it('refuses a rate that is not a positive number, naming it', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(ConfigError);
    expect(() => new TokenBucket({ ratePerSecond: Number.NaN })).toThrow(/rate: NaN is invalid/);
  });
});

describe('replay pass', () => {
  it('holds 500 records/s over 10 s, with no one-second window above the rate', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 500, clock });
    const { run, sent } = pass(numbered(5_000), clock, { bucket });
    const result = await run;
    expect(result).toEqual({ records: 5_000, keyless: 0, completed: true });
    // The bucket starts empty, so the 5,000th token arrives at 10 s exactly; the last send starts then.
    expect(sent[sent.length - 1].atMs).toBeCloseTo(10_000, -1);
    const windows = perSecond(sent);
    // The bucket starts empty: no window can exceed the rate; the first loses the 10 ms of the first batch.
    for (const n of windows) expect(n).toBeLessThanOrEqual(500);
    expect(windows.slice(0, 10).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4_990);
    // Batches of 10 ms of the rate, not one request per record.
    expect(sent.length).toBeLessThan(1_100);
  });

  it('keeps the rate while a send takes less than the burst (tokens accrue while it is in flight)', async () => {
    const clock = new VirtualClock();
    // Default burst: 50 ms of the rate, 25 tokens.
    const bucket = new TokenBucket({ ratePerSecond: 500, clock });
    const { run, sent } = pass(numbered(5_000), clock, { bucket, sendMs: 40 });
    await run;
    const seconds = (sent[sent.length - 1].atMs + 40) / 1000;
    expect(5_000 / seconds).toBeGreaterThan(495);
    for (const n of perSecond(sent)) expect(n).toBeLessThanOrEqual(525);
  });

  it('falls short of the rate when a send takes longer than the burst: 25 records per 60 ms', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 500, clock });
    const { run, sent } = pass(numbered(2_500), clock, { bucket, sendMs: 60 });
    await run;
    const seconds = (sent[sent.length - 1].atMs + 60) / 1000;
    // 25 / 0.060 s = 416.7 records/s once the bucket is drained.
    expect(2_500 / seconds).toBeCloseTo(416.7, -1);
  });

  it('sends lines in file order, in batches of at most maxBatchRecords', async () => {
    const clock = new VirtualClock();
    const { run, sent } = pass(numbered(1_234), clock, { maxBatchRecords: 100 });
    await run;
    expect(sent.map((s) => s.records.length)).toEqual([...new Array(12).fill(100), 34]);
    expect(sent.flatMap((s) => s.records.map(valueOf))).toEqual(numbered(1_234));
  });

  it('waits the recorded gaps divided by --speed, on an absolute schedule', async () => {
    const clock = new VirtualClock();
    clock.t = 5_000;
    const at = (i: number, ts: number) => `{"i":${i},"_kafka":{"partition":0,"offset":"${i}","timestamp":${ts},"key":"k${i % 2}"}}`;
    // Gaps 100, 0, 1000 ms; the fourth line was recorded before the third (another partition).
    const texts = [at(0, 1_000), at(1, 1_100), at(2, 1_100), at(3, 900), at(4, 2_100)];
    const { run, sent } = pass(texts, clock, { timing: { speed: 2 }, sendMs: 1 });
    await run;
    expect(sent.map((s) => [s.atMs - 5_000, s.records.map(valueOf)])).toEqual([
      [0, ['{"i":0}']],
      // Due at 50 ms; lines 2 and 3 are both due then (3 was due at once), so they share the send.
      [50, ['{"i":1}', '{"i":2}', '{"i":3}']],
      [550, ['{"i":4}']],
    ]);
    expect(sent.flatMap((s) => s.records.map((r) => r.key))).toEqual(['k0', 'k1', 'k0', 'k1', 'k0']);
  });

  it('refuses --timing recorded on a line without a recorded timestamp, naming the line', async () => {
    const clock = new VirtualClock();
    const { run } = pass(['{"a":1}'], clock, { timing: { speed: 1 } });
    await expect(run).rejects.toThrow(/f\.jsonl line 1: --timing recorded needs the _kafka\.timestamp/);
  });

  it('keys records by --key FIELD, counting those without it, and overrides a recorded key', async () => {
    const clock = new VirtualClock();
    const texts = [
      '{"user":"u1","x":1}',
      '{"user":7,"x":2}',
      '{"x":3}',
      '{"user":null}',
      '{"user":"u2","_kafka":{"partition":0,"offset":"0","timestamp":1,"key":"recorded"}}',
    ];
    const { run, sent } = pass(texts, clock, { keyField: 'user' });
    const result = await run;
    expect(sent.flatMap((s) => s.records.map((r) => r.key))).toEqual(['u1', '7', null, null, 'u2']);
    expect(result.keyless).toBe(2);
  });

  it('stops between sends once the signal aborts, reporting the pass as not completed', async () => {
    const clock = new VirtualClock();
    const stop = new AbortController();
    const bucket = new TokenBucket({ ratePerSecond: 100, clock });
    const { run, sent } = pass(numbered(1_000), clock, { bucket, signal: stop.signal });
    clock.afterSleep = () => {
      if (clock.t >= 1_000) stop.abort();
    };
    const result = await run;
    expect(result.completed).toBe(false);
    expect(result.records).toBe(sent.reduce((n, s) => n + s.records.length, 0));
    // About one second of a 100/s replay.
    expect(result.records).toBeGreaterThanOrEqual(95);
    expect(result.records).toBeLessThanOrEqual(100);
  });

  it('refuses a line the reader had to cut (longer than maxLineBytes)', async () => {
    const clock = new VirtualClock();
    const { run } = pass(['{"a":1}', 'x'.repeat(11)], clock, { maxLineBytes: 10 });
    await expect(run).rejects.toThrow(/f\.jsonl line 2: longer than 10 bytes/);
  });
});
