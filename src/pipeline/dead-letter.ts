/**
 * The dead-letter record: one JSON object per rejected record, the same in a file and on a Kafka topic,
 *
 *   {"reason": "unknown_class", "message": "label: \"alien\" is not a known class (...)",
 *    "origin": {"kind": "kafka", "topic": "samples", "partition": 0, "offset": "42"}, "raw": "{\"features\": ..."}
 *
 * `reason` is a stable code (REJECT_REASONS); `raw` is the start of the record's text (null when the
 * record had no value), enough to find and fix the producer without copying a hostile payload whole.
 * A letter for one sample of a multi-sample record (binary format) adds `"part": {"index": 17, "count": 256}`.
 */
import type { Origin } from '../sources/types.js';
import type { StepRejection } from '../training/trainer.js';
import type { Rejected, RejectReason, SamplePart } from './sample.js';

/** Decoding rejects a record; the non-finite guard refuses a whole minibatch (each sample is dead-lettered). */
export type DeadLetterReason = RejectReason | StepRejection;

export interface DeadLetter {
  readonly reason: DeadLetterReason;
  readonly message: string;
  readonly origin: Origin;
  /** Which sample of a multi-sample record; absent when the letter is for the whole record. */
  readonly part?: SamplePart;
  readonly raw: string | null;
}

export function toDeadLetter(rejected: Rejected): DeadLetter {
  const { reason, message, origin, part } = rejected;
  const raw = rejected.raw ?? null;
  return part === undefined ? { reason, message, origin, raw } : { reason, message, origin, part, raw };
}
