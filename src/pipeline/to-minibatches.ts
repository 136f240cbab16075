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

export function toMinibatches<T>({ batchSize, maxWaitMs, scheduler = asyncScheduler }: MinibatchOptions): OperatorFunction<T, T[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConfigError(`toMinibatches.batchSize: ${batchSize} is invalid: must be an integer >= 1`);
  }
  if (Number.isNaN(maxWaitMs) || maxWaitMs < 0) {
    throw new ConfigError(`toMinibatches.maxWaitMs: ${maxWaitMs} is invalid: must be >= 0 (Infinity: no timed flush)`);
  }
  const timed = Number.isFinite(maxWaitMs);

  return (source) =>
    new Observable<T[]>((subscriber) => {
      let batch: T[] = [];
      let lastArrivalMs = 0;
      let timer: Subscription | null = null;

      const emit = (): void => {
        const full = batch;
        // Order matters: a fresh batch before emitting, so a re-entrant `next` starts the next batch.
        batch = [];
        subscriber.next(full);
      };

      function onTimer(this: SchedulerAction<undefined>): void {
        if (batch.length === 0) {
          timer = null;
          return;
        }
        const quietMs = scheduler.now() - lastArrivalMs;
        if (quietMs >= maxWaitMs) {
          timer = null;
          emit();
        } else {
          this.schedule(undefined, maxWaitMs - quietMs);
        }
      }

      const subscription = source.subscribe({
        next(item) {
          batch.push(item);
          if (batch.length >= batchSize) {
            emit();
            return;
          }
          if (!timed) return;
          lastArrivalMs = scheduler.now();
          if (timer === null) timer = scheduler.schedule(onTimer, maxWaitMs);
        },
        error: (err: unknown) => subscriber.error(err),
        complete() {
          if (batch.length > 0) emit();
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        timer?.unsubscribe();
        timer = null;
        batch = [];
      };
    });
}
