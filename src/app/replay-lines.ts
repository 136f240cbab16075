/**
 * The lines of a file, pulled one at a time by the replay loop (which awaits sends and sleeps between
 * them) from readJsonl's push-based Observable. At most `highWaterLines` lines wait in memory: above that
 * the reader is paused through readJsonl's `paused` gate, below half of it resumed.
 */
import { BehaviorSubject } from 'rxjs';
import type { Subscription } from 'rxjs';
import { readJsonl } from '../sources/file/jsonl-source.js';
import type { SourceRecord } from '../sources/types.js';

export interface ReplayLineReaderOptions {
  /** Longer lines are an error: Kafka's default message size limit is about 1 MB. */
  readonly maxLineBytes?: number;
  readonly highWaterLines?: number;
}

export class ReplayLineReader {
  private readonly queue: SourceRecord[] = [];
  private head = 0;
  private done = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;
  private readonly paused = new BehaviorSubject(false);
  private readonly subscription: Subscription;
  private readonly highWater: number;

  constructor(path: string, { maxLineBytes = 1024 * 1024, highWaterLines = 4096 }: ReplayLineReaderOptions = {}) {
    this.highWater = highWaterLines;
    this.subscription = readJsonl(path, { maxLineBytes, paused: this.paused }).subscribe({
      next: (record) => {
        this.queue.push(record);
        if (this.queue.length - this.head >= this.highWater && !this.paused.value) this.paused.next(true);
        this.notify();
      },
      error: (err: unknown) => {
        this.failure = err;
        this.done = true;
        this.notify();
      },
      complete: () => {
        this.done = true;
        this.notify();
      },
    });
  }

  /** The next line without taking it; null at the end of the file. */
  async peek(): Promise<SourceRecord | null> {
    while (this.head === this.queue.length && !this.done) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.head < this.queue.length) return this.queue[this.head];
    if (this.failure !== null) throw this.failure;
    return null;
  }

  /** Takes the line peek() returned. */
  shift(): SourceRecord {
    const record = this.queue[this.head++];
    // Compacting in chunks keeps shift O(1) amortized without the array growing forever.
    if (this.head >= this.highWater) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.paused.value && this.queue.length - this.head < this.highWater / 2) this.paused.next(false);
    return record;
  }

  /** Stops reading; a pending peek() resolves with what is queued, else null. */
  close(): void {
    this.subscription.unsubscribe();
    this.done = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
