/**
 * Pacing for `online-learner replay`: a token bucket on an injectable clock.
 *
 * Tokens accrue at `ratePerSecond` up to `capacity`; sending n records takes n tokens. Over any interval
 * of length T the bucket lets through at most capacity + rate * T records, so with a capacity of
 * rate * burstMs / 1000 no one-second window exceeds the rate by more than burstMs / 1000 of it, and
 * the long-run rate is exactly `ratePerSecond` as long as a send takes less than burstMs (tokens
 * accrued while a send is in flight are kept up to the capacity). The bucket starts empty: a replay
 * never opens with a burst. The default burst, 50 ms, keeps a one-second window within 5% of the rate
 * and still absorbs acknowledgements up to 50 ms; slower links need a larger one.
 *
 * Time is a Clock (milliseconds, monotonic) so tests run the bucket in virtual time.
 * See https://en.wikipedia.org/wiki/Token_bucket.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError } from '../errors.js';

export interface Clock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  /** Resolves after `ms`, or early (never rejecting) once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
};

export interface TokenBucketOptions {
  /** Records per second. */
  readonly ratePerSecond: number;
  /** Largest burst, as milliseconds of the rate. */
  readonly burstMs?: number;
  readonly clock?: Clock;
}

export class TokenBucket {
  readonly ratePerSecond: number;
  /** At least 1, so any rate, however small, can send. */
  readonly capacity: number;
  private readonly clock: Clock;
  private tokens = 0;
  private refilledAt: number;

  constructor({ ratePerSecond, burstMs = 50, clock = systemClock }: TokenBucketOptions) {
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
      throw new ConfigError(`rate: ${ratePerSecond} is invalid: must be a positive number of records per second`);
    }
    if (!Number.isFinite(burstMs) || burstMs <= 0) {
      throw new ConfigError(`burstMs: ${burstMs} is invalid: must be a positive number of milliseconds`);
    }
    this.ratePerSecond = ratePerSecond;
    this.capacity = Math.max(1, Math.floor((ratePerSecond * burstMs) / 1000));
    this.clock = clock;
    this.refilledAt = clock.now();
  }

  /** Whole tokens available now. */
  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  /** Waits until `n` tokens (clamped to the capacity) are available; returns early when `signal` aborts. */
  async waitFor(n: number, signal?: AbortSignal): Promise<void> {
    const wanted = Math.min(n, this.capacity);
    for (;;) {
      this.refill();
      if (this.tokens >= wanted || signal?.aborted === true) return;
      // Rounded up: waking a hair early would only loop once more.
      await this.clock.sleep(Math.ceil(((wanted - this.tokens) * 1000) / this.ratePerSecond), signal);
    }
  }

  /** Empties the bucket and restarts accrual from now. */
  restart(): void {
    this.tokens = 0;
    this.refilledAt = this.clock.now();
  }

  /** Takes `n` tokens; call with n <= available(). */
  take(n: number): void {
    this.refill();
    this.tokens -= n;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) * this.ratePerSecond) / 1000);
    this.refilledAt = now;
  }
}
