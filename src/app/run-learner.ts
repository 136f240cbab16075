/**
 * Drives a Learner over a record source to completion and routes its events:
 * - a rejected record → the dead-letter sink, then acknowledged;
 * - a step → its samples acknowledged; a refused step's samples are dead-lettered first.
 *
 * "Acknowledged" means: done with, its offset may advance (DESIGN.md §2). An acknowledgement waits for
 * the dead letter to be written, so a crash can never commit past a record that was neither trained nor
 * dead-lettered. Dead-letter writes are queued in order; the run resolves once all are written.
 */
import { Observable } from 'rxjs';
import type { DeadLetter } from '../pipeline/dead-letter.js';
import type { Learner, LearnerEvent, LearnerRunOptions } from '../pipeline/learner.js';
import type { SourceRecord, Origin } from '../sources/types.js';

export interface DeadLetterSink {
  write(deadLetter: DeadLetter): Promise<void>;
  close(): Promise<void>;
}

export interface RunLearnerOptions extends LearnerRunOptions {
  readonly deadLetters?: DeadLetterSink | null;
  /** Called once per record when it is done (trained, refused or rejected), in processing order. */
  readonly ack?: (origin: Origin) => void;
  /** Called after each event (progress bars, metrics). */
  readonly onEvent?: (event: LearnerEvent) => void;
}

export function runLearner(learner: Learner, records: Observable<SourceRecord>, options: RunLearnerOptions = {}): Promise<void> {
  const { deadLetters = null, ack = () => undefined, onEvent } = options;
  // One chain of writes keeps dead letters (and the acks behind them) in processing order.
  let writes: Promise<void> = Promise.resolve();
  let writeError: unknown = null;
  // After a failed dead-letter write nothing more is acknowledged: offsets must not pass the lost record.
  const ackIfHealthy = (origin: Origin): void => {
    if (writeError === null) ack(origin);
  };
  const deadLetter = (letter: DeadLetter): void => {
    if (deadLetters === null) {
      ack(letter.origin);
      return;
    }
    writes = writes.then(
      () =>
        deadLetters.write(letter).then(
          () => ackIfHealthy(letter.origin),
          (err: unknown) => {
            writeError ??= err;
          },
        ),
      () => undefined,
    );
  };
  const settle = (origin: Origin): void => {
    if (deadLetters === null) ack(origin);
    else writes = writes.then(() => ackIfHealthy(origin));
  };

  return new Promise<void>((resolve, reject) => {
    learner.run(records, options).subscribe({
      next(event) {
        if (event.kind === 'rejected') {
          deadLetter(event.deadLetter);
        } else if (event.report.applied) {
          for (const sample of event.samples) settle(sample.origin);
        } else {
          const { report } = event;
          for (const sample of event.samples) {
            deadLetter({
              reason: report.rejection ?? 'non_finite_loss',
              message: `minibatch of ${report.batchSize} refused at step ${report.step + 1}: ${report.rejection} (loss ${report.loss}, gradient norm ${report.gradNorm}); parameters untouched`,
              origin: sample.origin,
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
