/**
 * Checkpoints for one run of the train job, from the `checkpoint` config section: open the directory
 * store, restore the newest readable checkpoint into the fresh learner (saying what was resumed and what
 * changed), then track, trigger and write during the run and take the final checkpoint at its end.
 *
 * The caller reads its source from `resumeFrom` when it is not null (the file source's next line, Kafka's
 * next offsets), pipes the records through `track` last, right before the learner, passes every learner
 * event to `onEvent` synchronously, and awaits `finish` after the run completed or stopped.
 */
import type { Observable } from 'rxjs';
import type { Learner, LearnerEvent } from '../pipeline/learner.js';
import type { SourceRecord } from '../sources/types.js';
import { Checkpointer, restoreLatest } from './checkpointer.js';
import { DirectoryCheckpointStore } from './directory-store.js';
import { PositionTracker } from './position.js';
import { CheckpointTrigger } from './trigger.js';
import type { CheckpointReason } from './trigger.js';
import type { CheckpointPosition, SavedCheckpoint } from './types.js';

export interface RunCheckpointsOptions {
  readonly dir: string;
  readonly keep: number;
  readonly everySteps: number;
  readonly everySeconds: number;
  /** The source's position before its first record: where a run without a checkpoint starts. */
  readonly start: CheckpointPosition;
  /** Restore an incompatible checkpoint as a fresh model at its stream position instead of refusing. */
  readonly reset?: boolean;
  /** One line per event worth telling (resumed, fallbacks, changes, failed writes). */
  readonly log: (line: string) => void;
  /** A checkpoint is durable (metrics, Kafka offset commits up to its position). */
  readonly onSaved?: (saved: SavedCheckpoint, position: CheckpointPosition, reason: CheckpointReason) => void;
  /** Clock of the time trigger, in milliseconds. */
  readonly nowMs?: () => number;
}

export interface RunCheckpoints {
  /** Where to read from: the restored checkpoint's position, or null without one (read from the start). */
  readonly resumeFrom: CheckpointPosition | null;
  track(records: Observable<SourceRecord>): Observable<SourceRecord>;
  onEvent(event: LearnerEvent): void;
  /** The final checkpoint, durable when this resolves; closes the store. */
  finish(): Promise<SavedCheckpoint | null>;
  /** A checkpoint at the next step boundary, durable when this resolves (POST /admin/checkpoint). */
  request(): Promise<SavedCheckpoint>;
}

export async function openRunCheckpoints(learner: Learner, options: RunCheckpointsOptions): Promise<RunCheckpoints> {
  const { log } = options;
  const warn = (message: string): void => log(`checkpoint: ${message}`);
  const store = await DirectoryCheckpointStore.open({ dir: options.dir, keep: options.keep, warn });
  const restored = await restoreLatest(learner, store, { reset: options.reset });
  if (restored === null) {
    log(`checkpoint: none in ${options.dir}; starting from the beginning of the stream`);
  } else {
    const { loaded, report } = restored;
    const { batchesApplied, records } = learner.counters;
    log(
      `checkpoint: resumed from ${loaded.id} (taken ${loaded.checkpoint.createdAt}): step ${batchesApplied}, ${records} records read, ` +
        `${learner.shuffleState.residents.length} in the shuffle buffer; continuing at ${describePosition(report.position)}`,
    );
    for (const change of report.changed) log(`checkpoint: config changed since the checkpoint, applies from the next step: ${change}`);
    if (report.reset) log(`checkpoint: model reset (fresh parameters and optimizer) because ${report.incompatible.join('; ')}`);
    for (const warning of report.warnings) log(`checkpoint: ${warning}`);
  }
  const resumeFrom = restored?.report.position ?? null;
  const checkpointer = new Checkpointer({
    learner,
    store,
    trigger: new CheckpointTrigger(
      { everySteps: options.everySteps, everySeconds: options.everySeconds, nowMs: options.nowMs },
      learner.counters.batchesApplied,
    ),
    tracker: new PositionTracker(resumeFrom ?? options.start),
    onSaved: (saved, checkpoint, reason) => options.onSaved?.(saved, checkpoint.position, reason),
    onError: (error) => log(`checkpoint: write failed, retrying at the next step: ${(error as Error).message}`),
  });
  return {
    resumeFrom,
    track: (records) => checkpointer.track(records),
    onEvent: (event) => checkpointer.onEvent(event),
    request: () => checkpointer.request(),
    finish: async () => {
      try {
        return await checkpointer.finish();
      } finally {
        await store.close();
      }
    },
  };
}

export function describePosition(position: CheckpointPosition): string {
  switch (position.kind) {
    case 'file':
      return `line ${position.nextLine} of ${position.path}`;
    case 'memory':
      return `record ${position.nextIndex}`;
    case 'kafka':
      return Object.entries(position.offsets)
        .flatMap(([topic, partitions]) => Object.entries(partitions).map(([partition, offset]) => `${topic}[${partition}]@${offset}`))
        .join(', ');
  }
}
