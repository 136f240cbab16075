/**
 * Checkpointing during a run: what the composition root wires between a source, a Learner and a store.
 *
 *   records ─▶ track (PositionTracker) ─▶ Learner.run ─▶ events ─▶ onEvent: trigger due? capture, save
 *
 * Captures happen synchronously at step events (the only consistent moments, capture.ts); writes run in
 * the background, one at a time. While one is in flight further triggers wait (the trigger stays due),
 * so a slow store costs checkpoint frequency, never memory. A failed write is reported to `onError` and
 * retried at the next step; `finish()` takes the final checkpoint and waits for every write, rejecting if
 * the final one fails. `onSaved` fires once a checkpoint is durable: the moment to commit Kafka offsets
 * up to its position (DESIGN.md §2) and to mark the checkpoint metric.
 *
 * `request()` (POST /admin/checkpoint) asks for one at the next step boundary, not at once: between steps
 * a partial minibatch is waiting in the pipeline, and it is in no checkpoint.
 */
import { tap } from 'rxjs';
import type { Observable } from 'rxjs';
import type { Learner, LearnerEvent } from '../pipeline/learner.js';
import type { SourceRecord } from '../sources/types.js';
import { captureLearnerState } from './capture.js';
import type { CaptureOptions } from './capture.js';
import type { PositionTracker } from './position.js';
import { restoreLearnerState } from './restore.js';
import type { RestoreOptions, RestoreReport } from './restore.js';
import type { CheckpointReason, CheckpointTrigger } from './trigger.js';
import type { Checkpoint, CheckpointStore, LoadedCheckpoint, SavedCheckpoint } from './types.js';

export interface CheckpointerOptions extends CaptureOptions {
  readonly learner: Learner;
  readonly store: CheckpointStore;
  readonly trigger: CheckpointTrigger;
  readonly tracker: PositionTracker;
  readonly onSaved?: (saved: SavedCheckpoint, checkpoint: Checkpoint, reason: CheckpointReason) => void;
  readonly onError?: (error: unknown) => void;
}

interface Request {
  readonly resolve: (saved: SavedCheckpoint) => void;
  readonly reject: (error: unknown) => void;
}

export class Checkpointer {
  private writing: Promise<SavedCheckpoint | null> | null = null;
  private lastError: unknown = null;
  /** Waiting for the next checkpoint written. */
  private requests: Request[] = [];

  constructor(private readonly options: CheckpointerOptions) {}

  /** The records on their way into `Learner.run`, with their positions tracked. */
  track(records: Observable<SourceRecord>): Observable<SourceRecord> {
    const { tracker } = this.options;
    return records.pipe(tap((record) => tracker.observe(record.origin)));
  }

  /** Call synchronously with every learner event. */
  onEvent(event: LearnerEvent): void {
    if (event.kind !== 'step' || this.writing !== null) return;
    const reason = this.requests.length > 0 ? 'request' : this.options.trigger.due(this.options.learner.counters.batchesApplied);
    if (reason !== null) void this.write(reason);
  }

  /** A checkpoint at the next step boundary (or the final one, if the run ends first), once durable. */
  request(): Promise<SavedCheckpoint> {
    return new Promise((resolve, reject) => this.requests.push({ resolve, reject }));
  }

  /** After the run completed (or stopped and drained): the final checkpoint, durable when this resolves. */
  async finish(): Promise<SavedCheckpoint | null> {
    await this.writing;
    const saved = await this.write('stop');
    if (saved === null) throw this.lastError;
    return saved;
  }

  private write(reason: CheckpointReason): Promise<SavedCheckpoint | null> {
    const { learner, store, trigger, tracker, onSaved, onError } = this.options;
    const steps = learner.counters.batchesApplied;
    const checkpoint = captureLearnerState(learner, tracker.position(), this.options);
    const requests = this.requests;
    this.requests = [];
    const writing = store.save(checkpoint).then(
      (saved) => {
        trigger.taken(steps);
        onSaved?.(saved, checkpoint, reason);
        for (const request of requests) request.resolve(saved);
        return saved;
      },
      (err: unknown) => {
        this.lastError = err;
        onError?.(err);
        for (const request of requests) request.reject(err);
        return null;
      },
    );
    this.writing = writing.finally(() => {
      this.writing = null;
    });
    return writing;
  }
}

/**
 * Restores the store's newest readable checkpoint into a fresh learner. Null when the store is empty
 * (start from the beginning of the stream); skipped corrupt checkpoints are in `loaded.warnings`.
 */
export async function restoreLatest(
  learner: Learner,
  store: CheckpointStore,
  options: RestoreOptions = {},
): Promise<{ loaded: LoadedCheckpoint; report: RestoreReport } | null> {
  const loaded = await store.latest();
  if (loaded === null) return null;
  return { loaded, report: restoreLearnerState(learner, loaded.checkpoint, options) };
}
