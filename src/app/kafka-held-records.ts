/**
 * Backpressure between the Kafka consumer and the learner: a count of the records the source emitted
 * and the learner has not acknowledged yet ("held": in the shuffle buffer, a minibatch being filled, a
 * step in progress, a dead letter being written).
 *
 * The source stops emitting at `maxHeldRecords` and resumes once the count is back to
 * `resumeHeldRecords`, so memory stays bounded however slow a step is. Waiting happens inside the
 * consumer's batch handler, which keeps heartbeating: a slow learner never looks dead to the group.
 *
 * The resume mark must be reachable without new input, or the source would wait forever: the shuffle
 * buffer keeps `capacity` records until more arrive and a partial minibatch keeps up to batchSize - 1
 * (when maxWaitMs is Infinity). heldRecordLimits() derives both marks from those sizes.
 */
import { ConfigError } from '../errors.js';

export interface HeldRecordLimits {
  readonly maxHeldRecords: number;
  readonly resumeHeldRecords: number;
}

/**
 * Pause with one full minibatch waiting behind the step in progress; resume when that one batch is
 * stepping: the learner never waits for Kafka, and at most capacity + 2 batches are held.
 */
export function heldRecordLimits(shuffleBuffer: number, batchSize: number): HeldRecordLimits {
  return { maxHeldRecords: shuffleBuffer + 2 * batchSize, resumeHeldRecords: shuffleBuffer + batchSize };
}

export interface WaitContext {
  /** Keeps the group membership alive; throws when the group rebalances (the caller gives up the batch). */
  heartbeat(): Promise<void>;
  /** True when waiting is pointless: stopped, rebalanced, disconnecting. */
  cancelled(): boolean;
}

export class HeldRecords {
  private count = 0;
  private highest = 0;
  private wake: (() => void) | null = null;
  private lastHeartbeatMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly limits: HeldRecordLimits,
    private readonly heartbeatEveryMs = 1_000,
  ) {
    const { maxHeldRecords, resumeHeldRecords } = limits;
    if (!Number.isInteger(maxHeldRecords) || maxHeldRecords < 1) {
      throw new ConfigError(`maxHeldRecords: ${maxHeldRecords} must be a positive integer`);
    }
    if (!Number.isInteger(resumeHeldRecords) || resumeHeldRecords < 0 || resumeHeldRecords >= maxHeldRecords) {
      throw new ConfigError(
        `resumeHeldRecords: ${resumeHeldRecords} must be an integer in [0, maxHeldRecords = ${maxHeldRecords})`,
      );
    }
  }

  get held(): number {
    return this.count;
  }

  /** The most records held at once so far. */
  get maxHeld(): number {
    return this.highest;
  }

  get full(): boolean {
    return this.count >= this.limits.maxHeldRecords;
  }

  emitted(): void {
    this.count++;
    if (this.count > this.highest) this.highest = this.count;
  }

  acknowledged(): void {
    this.count--;
    if (this.count <= this.limits.resumeHeldRecords) this.release();
  }

  /** Ends a wait early (the source stops). */
  release(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /**
   * Lets the event loop run in the middle of a long synchronous burst of training (checkpoint writes,
   * /metrics scrapes), heartbeating when one is due: kafkajs heartbeats only between batches.
   */
  async breathe(context: WaitContext): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (!context.cancelled() && Date.now() - this.lastHeartbeatMs >= this.heartbeatEveryMs) {
      this.lastHeartbeatMs = Date.now();
      await context.heartbeat();
    }
  }

  /**
   * Resolves once `done` settled (its outcome is its owner's) or the wait is cancelled, heartbeating
   * every heartbeatEveryMs like waitForRoom: the batch handler that waits for the previous batch's
   * emission (kafka-source.ts, overlapFetches).
   */
  async waitFor(done: Promise<void>, context: WaitContext): Promise<void> {
    let settled = false;
    // Its own wake-up, not `wake`: the emission it waits for may itself be waiting for room.
    let wakeUp: (() => void) | null = null;
    const settle = (): void => {
      settled = true;
      wakeUp?.();
    };
    done.then(settle, settle);
    while (!settled && !context.cancelled()) {
      const dueInMs = Math.max(0, this.lastHeartbeatMs + this.heartbeatEveryMs - Date.now());
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, dueInMs);
      });
      clearTimeout(timer);
      wakeUp = null;
      if (!settled && !context.cancelled() && Date.now() - this.lastHeartbeatMs >= this.heartbeatEveryMs) {
        this.lastHeartbeatMs = Date.now();
        await context.heartbeat();
      }
    }
  }

  /**
   * Resolves once the count is back at the resume mark, or the wait is cancelled. Heartbeats every
   * heartbeatEveryMs counted across waits: a slow learner makes many short waits, none of which lasts
   * a heartbeat interval by itself.
   */
  async waitForRoom(context: WaitContext): Promise<void> {
    while (this.count > this.limits.resumeHeldRecords && !context.cancelled()) {
      const dueInMs = Math.max(0, this.lastHeartbeatMs + this.heartbeatEveryMs - Date.now());
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(resolve, dueInMs);
      });
      clearTimeout(timer);
      this.wake = null;
      if (!context.cancelled() && Date.now() - this.lastHeartbeatMs >= this.heartbeatEveryMs) {
        this.lastHeartbeatMs = Date.now();
        await context.heartbeat();
      }
    }
  }
}
