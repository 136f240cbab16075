/**
 * Drives a Learner over a record source to completion and routes its events:
 * - a rejected record → the dead-letter sink, then acknowledged;
 * - a step → its samples acknowledged; a refused step's samples are dead-lettered first.
 *
 * "Acknowledged" means: done with, its offset may advance (DESIGN.md §2). An acknowledgement waits for
 * the dead letter to be written, so a crash can never commit past a record that was neither trained nor
 * dead-lettered. Dead-letter writes are queued in order; the run resolves once all are written.
 * A record of several samples (binary format: samples and rejects carry a `part`) is acknowledged once,
 * when its last part is done.
 */
import { Observable } from 'rxjs';
import type { DeadLetter } from '../pipeline/dead-letter.js';
import { PendingParts } from '../pipeline/binary-parts.js';
import type { Learner, LearnerEvent, LearnerRunOptions } from '../pipeline/learner.js';
import type { Sample, SamplePart } from '../pipeline/sample.js';
import type { SourceRecord, Origin } from '../sources/types.js';

export interface DeadLetterSink {
  write(deadLetter: DeadLetter): Promise<void>;
  close(): Promise<void>;
}

export interface RunLearnerOptions extends LearnerRunOptions {
  readonly deadLetters?: DeadLetterSink | null;
  /** Called once per record when it is done (all its samples trained, refused or rejected), in processing order. */
  readonly ack?: (origin: Origin) => void;
  /** Called after each event (progress bars, metrics). */
  readonly onEvent?: (event: LearnerEvent) => void;
}

export function runLearner(learner: Learner, records: Observable<SourceRecord>, options: RunLearnerOptions = {}): Promise<void> {
  const { deadLetters = null, ack = () => undefined, onEvent } = options;
  const parts = new PendingParts();
  const finish = (origin: Origin, part: SamplePart | undefined): void => {
    if (part === undefined || parts.done(origin, part)) ack(origin);
  };
  // One chain of writes keeps dead letters (and the acks behind them) in processing order.
  let writes: Promise<void> = Promise.resolve();
  let writeError: unknown = null;
  // After a failed dead-letter write nothing more is acknowledged: offsets must not pass the lost record.
  const finishIfHealthy = (origin: Origin, part: SamplePart | undefined): void => {
    if (writeError === null) finish(origin, part);
  };
  const deadLetter = (letter: DeadLetter): void => {
    if (deadLetters === null) {
      finish(letter.origin, letter.part);
      return;
    }
    writes = writes.then(
      () =>
        deadLetters.write(letter).then(
          () => finishIfHealthy(letter.origin, letter.part),
          (err: unknown) => {
            writeError ??= err;
          },
        ),
      () => undefined,
    );
  };
  // A trained step's samples settle together: one link of the write chain per step, not per sample.
  const settle = (samples: readonly Sample[]): void => {
    if (deadLetters === null) {
      for (let i = 0; i < samples.length; i++) finish(samples[i].origin, samples[i].part);
      return;
    }
    writes = writes.then(() => {
      for (let i = 0; i < samples.length; i++) finishIfHealthy(samples[i].origin, samples[i].part);
    });
  };

  return new Promise<void>((resolve, reject) => {
    learner.run(records, options).subscribe({
      next(event) {
        if (event.kind === 'rejected') {
          deadLetter(event.deadLetter);
        } else if (event.report.applied) {
          settle(event.samples);
        } else {
          const { report } = event;
          for (const sample of event.samples) {
            deadLetter({
              reason: report.rejection ?? 'non_finite_loss',
              message: `minibatch of ${report.batchSize} refused at step ${report.step + 1}: ${report.rejection} (loss ${report.loss}, gradient norm ${report.gradNorm}); parameters untouched`,
              origin: sample.origin,
              ...(sample.part === undefined ? {} : { part: sample.part }),
              raw: sample.id === undefined ? null : JSON.stringify({ id: sample.id }),
            });
          }
        }
        onEvent?.(event);
      },
      error: (err: unknown) => {
        writes.finally(() => reject(err));
      },
      complete: () => {
        writes.then(() => (writeError === null ? resolve() : reject(writeError)));
      },
    });
  });
}
