/**
 * Which multi-sample records are done. A binary record of N samples (binary-format.ts) may be
 * acknowledged, so its offset may advance, only once all N samples are trained or dead-lettered
 * (DESIGN.md §2); its samples finish in any order (the shuffle buffer), across many steps.
 *
 * Records are told apart by their origin's value, not by object identity, so samples whose origins
 * were copied (a checkpoint's restored residents) still count toward the same record. Memory: one entry
 * per record with samples still in flight.
 */
import type { Origin } from '../sources/types.js';
import type { SamplePart } from './sample.js';

export class PendingParts {
  private readonly remaining = new Map<string, number>();

  /** Marks one part done; true when it was the record's last (acknowledge the record now). */
  done(origin: Origin, part: SamplePart): boolean {
    const key = originKey(origin);
    const left = (this.remaining.get(key) ?? part.count) - 1;
    if (left <= 0) {
      this.remaining.delete(key);
      return true;
    }
    this.remaining.set(key, left);
    return false;
  }

  /** Records with some parts done and some not. */
  get recordsInFlight(): number {
    return this.remaining.size;
  }
}

/** Unique per record: the kind's tag and the variable-length strings last, so no two origins collide. */
function originKey(origin: Origin): string {
  switch (origin.kind) {
    case 'kafka':
      return `k${origin.partition}@${origin.offset}/${origin.topic}`;
    case 'file':
      return `f${origin.line}/${origin.path}`;
    case 'memory':
      return `m${origin.index}`;
  }
}
