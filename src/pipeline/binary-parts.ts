/**
 * Which multi-sample records are done. A binary record of N samples (binary-format.ts) may be
 * acknowledged, so its offset may advance, only once all N samples are trained or dead-lettered
 * (DESIGN.md §2); its samples finish in any order (the shuffle buffer), across many steps.
 *
 * Records are told apart by their origin object: the decoder gives every part of a record the
 * record's own origin, and a Map keyed by identity costs nothing per part (building a string key per
 * sample was a visible share of the binary path). Samples restored from a checkpoint carry no part
 * (checkpoint/capture.ts keeps x, y, weight, id, origin), so they are acknowledged one by one, which a
 * Kafka source ignores for offsets below the checkpoint it resumed from. Memory: one entry per record
 * with samples still in flight.
 */
import type { Origin } from '../sources/types.js';
import type { SamplePart } from './sample.js';

export class PendingParts {
  private readonly remaining = new Map<Origin, number>();

  /** Marks one part done; true when it was the record's last (acknowledge the record now). */
  done(origin: Origin, part: SamplePart): boolean {
    const left = (this.remaining.get(origin) ?? part.count) - 1;
    if (left <= 0) {
      this.remaining.delete(origin);
      return true;
    }
    this.remaining.set(origin, left);
    return false;
  }

  /** Records with some parts done and some not. */
  get recordsInFlight(): number {
    return this.remaining.size;
  }
}
