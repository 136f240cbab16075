/**
 * When to checkpoint: every `everySteps` applied steps, at least every `everySeconds` of wall time (both
 * counted from the last checkpoint written), and always when the run stops. Asked only at step
 * boundaries, the only moments a learner can be captured (capture.ts): a stream with no steps for a
 * while is checkpointed at its next step, or when it stops.
 *
 * The time comes from an injectable clock so tests run in virtual time.
 */
import { ConfigError } from '../errors.js';

/** `request`: asked for over HTTP (POST /admin/checkpoint). */
export type CheckpointReason = 'steps' | 'time' | 'stop' | 'request';

export interface CheckpointTriggerOptions {
  /** Applied steps between checkpoints; Infinity: no step trigger. */
  readonly everySteps?: number;
  /** Seconds between checkpoints; Infinity: no time trigger. */
  readonly everySeconds?: number;
  /** Milliseconds on any monotonic scale. */
  readonly nowMs?: () => number;
}

export class CheckpointTrigger {
  private readonly everySteps: number;
  private readonly everyMs: number;
  private readonly nowMs: () => number;
  private lastSteps: number;
  private lastMs: number;

  /** `startSteps`: applied steps already covered by a checkpoint (a restored run's step count). */
  constructor({ everySteps = 1000, everySeconds = 60, nowMs = () => performance.now() }: CheckpointTriggerOptions = {}, startSteps = 0) {
    if (!(everySteps >= 1) || (Number.isFinite(everySteps) && !Number.isInteger(everySteps))) {
      throw new ConfigError(`checkpoint.everySteps: ${everySteps} is invalid: must be an integer >= 1 (or Infinity)`);
    }
    if (!(everySeconds > 0)) throw new ConfigError(`checkpoint.everySeconds: ${everySeconds} is invalid: must be > 0 (or Infinity)`);
    this.everySteps = everySteps;
    this.everyMs = everySeconds * 1000;
    this.nowMs = nowMs;
    this.lastSteps = startSteps;
    this.lastMs = nowMs();
  }

  /** At a step boundary: why a checkpoint is due now, or null. `stopping`: the run is ending. */
  due(appliedSteps: number, stopping = false): CheckpointReason | null {
    if (stopping) return 'stop';
    if (appliedSteps - this.lastSteps >= this.everySteps) return 'steps';
    if (appliedSteps > this.lastSteps && this.nowMs() - this.lastMs >= this.everyMs) return 'time';
    return null;
  }

  /** A checkpoint covering `appliedSteps` was taken: both intervals restart. */
  taken(appliedSteps: number): void {
    this.lastSteps = appliedSteps;
    this.lastMs = this.nowMs();
  }
}
