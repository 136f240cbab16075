/**
 * Groups items into minibatches of `batchSize`. A partial batch is flushed after `maxWaitMs` without a
 * new arrival (a quiet stream still trains on what it has), and on completion. On error the partial batch
 * is dropped, as rxjs `bufferCount` does: the error decides what happens next, not this stage.
 *
 * Timing: one timer per quiet period, not one per arrival. When it fires it compares the time since the
 * last arrival with maxWaitMs and either flushes or re-arms for the remainder, so a busy stream costs a
 * clock read per item instead of a cancel-and-reschedule.
 */
import { asyncScheduler, Observable } from 'rxjs';
import type { OperatorFunction, SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { ConfigError } from '../errors.js';

export interface MinibatchOptions {
  /** Items per full batch (>= 1). */
  readonly batchSize: number;
  /** Quiet time after the last arrival before a partial batch is flushed; Infinity never flushes on time. */
  readonly maxWaitMs: number;
  /** Time source; a TestScheduler in tests. */
  readonly scheduler?: SchedulerLike;
}

export function toMinibatches<T>(options: MinibatchOptions): OperatorFunction<T, T[]> {
  checkOptions(options);
  return (source) =>
    new Observable<T[]>((subscriber) => {
      const collector = new MinibatchCollector<T>(options, (batch) => subscriber.next(batch));
      const subscription = source.subscribe({
        next(item) {
          collector.add(item);
          collector.arrived();
        },
        error: (err: unknown) => subscriber.error(err),
        complete() {
          collector.flush();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        collector.dispose();
      };
    });
}

/**
 * The batching without rxjs, for a stage that runs it inside its own per-sample loop (the Learner).
 * `add` collects; `arrived` stamps the arrival time for the timed flush. They are separate so a caller
 * that adds a burst of items synchronously (the samples of one record) reads the clock once per burst:
 * the burst's items arrive within microseconds of each other, and a virtual clock does not move inside it.
 */
export class MinibatchCollector<T> {
  private batch: T[] = [];
  private lastArrivalMs = 0;
  private timer: Subscription | null = null;
  /** An item was added to the pending partial batch since the last `arrived`. */
  private unstamped = false;
  private readonly batchSize: number;
  private readonly maxWaitMs: number;
  private readonly timed: boolean;
  private readonly scheduler: SchedulerLike;
  private readonly onTimer: (this: SchedulerAction<undefined>) => void;

  constructor(
    options: MinibatchOptions,
    private readonly emitBatch: (batch: T[]) => void,
  ) {
    checkOptions(options);
    this.batchSize = options.batchSize;
    this.maxWaitMs = options.maxWaitMs;
    this.timed = Number.isFinite(options.maxWaitMs);
    this.scheduler = options.scheduler ?? asyncScheduler;
    // rxjs calls the work with the action as `this`; the collector is captured instead.
    const collector = this;
    this.onTimer = function (this: SchedulerAction<undefined>): void {
      collector.timerFired(this);
    };
  }

  /** Collects `item`; a full batch is emitted at once. */
  add(item: T): void {
    this.batch.push(item);
    if (this.batch.length >= this.batchSize) {
      this.unstamped = false;
      this.emit();
      return;
    }
    this.unstamped = true;
  }

  /** The items added since the last call arrived now: the quiet time of a partial batch starts. */
  arrived(): void {
    if (!this.unstamped || !this.timed) return;
    this.unstamped = false;
    this.lastArrivalMs = this.scheduler.now();
    if (this.timer === null) this.timer = this.scheduler.schedule(this.onTimer, this.maxWaitMs);
  }

  /** Emits the partial batch, if any (completion). */
  flush(): void {
    if (this.batch.length > 0) this.emit();
  }

  /** Releases the timer and drops the partial batch (error, unsubscribe). */
  dispose(): void {
    this.timer?.unsubscribe();
    this.timer = null;
    this.batch = [];
  }

  private emit(): void {
    const full = this.batch;
    // Order matters: a fresh batch before emitting, so a re-entrant `add` starts the next batch.
    this.batch = [];
    this.emitBatch(full);
  }

  private timerFired(action: SchedulerAction<undefined>): void {
    if (this.batch.length === 0) {
      this.timer = null;
      return;
    }
    const quietMs = this.scheduler.now() - this.lastArrivalMs;
    if (quietMs >= this.maxWaitMs) {
      this.timer = null;
      this.emit();
    } else {
      action.schedule(undefined, this.maxWaitMs - quietMs);
    }
  }
}

function checkOptions({ batchSize, maxWaitMs }: MinibatchOptions): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConfigError(`toMinibatches.batchSize: ${batchSize} is invalid: must be an integer >= 1`);
  }
  if (Number.isNaN(maxWaitMs) || maxWaitMs < 0) {
    throw new ConfigError(`toMinibatches.maxWaitMs: ${maxWaitMs} is invalid: must be >= 0 (Infinity: no timed flush)`);
  }
}
