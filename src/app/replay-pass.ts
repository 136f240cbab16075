/**
 * One pass of `online-learner replay` over a file: lines become records to produce, grouped into sends
 * that respect the rate and, with recorded timing, the recorded gaps between records.
 *
 * Order: one send is in flight at a time and each holds lines in file order, so records with the same
 * key (hence the same partition) reach the broker in file order.
 *
 * Rate: before a send the loop waits for enough tokens for a small batch (MIN_BATCH_MS of the rate,
 * fewer sends than one per record), then sends as many lines as there are tokens, never more: the
 * token bucket (replay-rate.ts) bounds every window.
 *
 * Recorded timing: a line recorded at timestamp t is due at passStart + (t - t0) / speed, with t0 the
 * pass's first recorded timestamp; the schedule is absolute, so waiting never accumulates drift, and a
 * line whose timestamp lies before an earlier line's (files interleave partitions) is simply due at once.
 */
import { ConfigError } from '../errors.js';
import type { ProduceRecord } from '../sources/kafka/types.js';
import type { SourceRecord } from '../sources/types.js';
import { parseReplayLine } from './record-format.js';
import type { Clock, TokenBucket } from './replay-rate.js';

/** Where lines come from: ReplayLineReader, or an array in tests. */
export interface LineSource {
  /** The next line without taking it; null at the end. */
  peek(): Promise<SourceRecord | null>;
  shift(): SourceRecord;
}

export interface ReplayPassOptions {
  readonly lines: LineSource;
  /** Produces one batch; resolves once the broker acknowledged it. */
  readonly send: (records: ProduceRecord[]) => Promise<void>;
  readonly clock: Clock;
  readonly bucket: TokenBucket | null;
  /** Replay the recorded gaps, divided by `speed`; null: as fast as the rate allows. */
  readonly timing: { readonly speed: number } | null;
  /** Top-level field of the value whose text is the message key; null: the recorded key, if any. */
  readonly keyField: string | null;
  readonly maxBatchRecords: number;
  /** Lines of exactly this many bytes were cut by the reader: an error. */
  readonly maxLineBytes: number;
  readonly signal?: AbortSignal;
  /** After each acknowledged send, with its size. */
  readonly onSent?: (records: number) => void;
}

export interface ReplayPassResult {
  readonly records: number;
  /** Records sent without a key because the value had no `keyField`. */
  readonly keyless: number;
  /** False when the signal stopped the pass before the end of the file. */
  readonly completed: boolean;
}

/** Milliseconds of the rate gathered before a send (5 records at 500/s). */
const MIN_BATCH_MS = 10;

interface Prepared {
  readonly record: ProduceRecord;
  readonly timestampMs: number | null;
  readonly keyless: boolean;
}

export async function replayPass(options: ReplayPassOptions): Promise<ReplayPassResult> {
  const { lines, send, clock, bucket, timing, signal, maxBatchRecords } = options;
  const aborted = (): boolean => signal?.aborted === true;
  const minBatch = bucket === null ? 1 : Math.max(1, Math.min(bucket.capacity, Math.floor((bucket.ratePerSecond * MIN_BATCH_MS) / 1000)));
  // Parsed once: the head line is looked at by several decisions before it is sent.
  let head: Prepared | null = null;
  const peek = async (): Promise<Prepared | null> => {
    if (head !== null) return head;
    const line = await lines.peek();
    if (line !== null) head = prepare(line, options);
    return head;
  };
  const shift = (): Prepared => {
    const taken = head as Prepared;
    head = null;
    lines.shift();
    return taken;
  };

  let start = 0;
  let firstTimestamp: number | null = null;
  const dueAt = (p: Prepared): number => {
    const t = p.timestampMs as number;
    if (firstTimestamp === null) {
      firstTimestamp = t;
      start = clock.now();
    }
    return start + (t - firstTimestamp) / (timing as { speed: number }).speed;
  };

  let records = 0;
  let keyless = 0;
  for (;;) {
    if (aborted()) return { records, keyless, completed: false };
    const first = await peek();
    if (first === null) return { records, keyless, completed: true };
    if (timing !== null) {
      const wait = dueAt(first) - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
    }
    if (bucket !== null) await bucket.waitFor(minBatch, signal);
    if (aborted()) return { records, keyless, completed: false };

    const limit = bucket === null ? maxBatchRecords : Math.min(bucket.available(), maxBatchRecords);
    const batch: ProduceRecord[] = [];
    while (batch.length < limit) {
      const next = await peek();
      if (next === null || (timing !== null && dueAt(next) > clock.now())) break;
      const taken = shift();
      batch.push(taken.record);
      if (taken.keyless) keyless++;
    }
    bucket?.take(batch.length);
    await send(batch);
    records += batch.length;
    options.onSent?.(batch.length);
  }
}

function prepare(line: SourceRecord, options: ReplayPassOptions): Prepared {
  const { keyField, timing, maxLineBytes } = options;
  const where = line.origin.kind === 'file' ? `${line.origin.path} line ${line.origin.line}` : 'a line';
  const bytes = typeof line.value === 'string' ? Buffer.from(line.value) : (line.value ?? Buffer.alloc(0));
  if (bytes.length > maxLineBytes) {
    throw new ConfigError(`${where}: longer than ${maxLineBytes} bytes, more than a Kafka message may hold by default`);
  }
  const parsed = parseReplayLine(bytes, where, keyField !== null);
  if (timing !== null && parsed.kafka === null) {
    throw new ConfigError(
      `${where}: --timing recorded needs the _kafka.timestamp that 'online-learner record' writes on every line; this line has none`,
    );
  }
  let key: string | null;
  let keyless = false;
  if (keyField === null) {
    key = parsed.kafka?.key ?? null;
  } else {
    const value = parsed.fields !== null && Object.hasOwn(parsed.fields, keyField) ? parsed.fields[keyField] : null;
    key = value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value);
    keyless = key === null;
  }
  return { record: { key, value: parsed.value }, timestampMs: parsed.kafka?.timestamp ?? null, keyless };
}
