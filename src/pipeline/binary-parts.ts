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

/** A record's parts not yet done; a mutable cell, so a part costs one Map lookup instead of a get and a set. */
interface Remaining {
  left: number;
}

export class PendingParts {
  private readonly remaining = new Map<Origin, Remaining>();

  /** Marks one part done; true when it was the record's last (acknowledge the record now). */
  done(origin: Origin, part: SamplePart): boolean {
    const entry = this.remaining.get(origin);
    if (entry === undefined) {
      if (part.count <= 1) return true;
      this.remaining.set(origin, { left: part.count - 1 });
      return false;
    }
    if (--entry.left > 0) return false;
    this.remaining.delete(origin);
    return true;
  }

  /** Records with some parts done and some not. */
  get recordsInFlight(): number {
    return this.remaining.size;
  }
}
