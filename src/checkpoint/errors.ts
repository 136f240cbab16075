/**
 * Checkpoint errors. Both are final for the checkpoint at hand: retrying the same bytes or the same
 * config cannot succeed. A store falls back past a corrupt checkpoint; an incompatible one needs a
 * decision from the user (restore with `reset`, or go back to the old config).
 */
import { LearnerError } from '../errors.js';

/** Bytes that are not a whole, intact checkpoint: truncated, bad checksum, bad JSON, bad safetensors. */
export class CheckpointCorruptError extends LearnerError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CHECKPOINT_CORRUPT', message, options);
  }
}

/** A checkpoint whose model shape does not fit the learner it is restored into. */
export class CheckpointIncompatibleError extends LearnerError {
  /** One line per difference, e.g. `model.parameters.dense0.weight: [100,2] -> [50,2]`. */
  readonly changes: readonly string[];

  constructor(message: string, changes: readonly string[]) {
    super('CHECKPOINT_INCOMPATIBLE', message);
    this.changes = changes;
  }
}
