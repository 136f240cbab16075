/**
 * What a checkpoint holds (DESIGN.md §2): one consistent moment of a Learner, taken between two steps,
 * plus the stream position right after the last record that moment has seen. Restoring it into a fresh
 * Learner built from the same config and reading the stream from `position` continues exactly as if
 * the learner had never stopped.
 */
import type { RngState } from '../math/rng.js';
import type { OptimizerState } from '../optim/types.js';
import type { LearnerConfig, LearnerCounters } from '../pipeline/learner.js';
import type { Sample } from '../pipeline/sample.js';
import type { StandardizerState } from '../pipeline/welford.js';
import type { TrainerState } from '../training/trainer.js';
import type { SafetensorsTensor } from './safetensors.js';

/** The `format` metadata value of a checkpoint file; the number is the layout version. */
export const CHECKPOINT_FORMAT = 'online-learner/checkpoint@1';

/**
 * Where to continue reading: the next record after everything the checkpoint has seen.
 * Kafka offsets are Kafka's "next offset to read" (last seen + 1), int64 as decimal strings.
 */
export type CheckpointPosition =
  | { readonly kind: 'kafka'; readonly offsets: Readonly<Record<string, Readonly<Record<string, string>>>> }
  | { readonly kind: 'file'; readonly path: string; readonly nextLine: number }
  | { readonly kind: 'memory'; readonly nextIndex: number };

/**
 * What fixes the meaning of the parameters: if any of it differs, the parameters of one cannot be used
 * by the other. Everything else in the config (learning rate, batch size, dropout rate, ...) is a
 * hyper-parameter that may change between runs.
 */
export interface ModelSignature {
  readonly schema: LearnerConfig['schema'];
  readonly standardize: boolean;
  readonly loss: string;
  readonly model: {
    readonly type: string;
    readonly activation: string | null;
    readonly dtype: string;
    /** name -> shape, in the model's parameter order. */
    readonly parameters: Readonly<Record<string, readonly number[]>>;
  };
}

export interface Checkpoint {
  /** ISO 8601 time of the capture. */
  readonly createdAt: string;
  /** sha256 (hex) of the canonical JSON of `signature`. */
  readonly configHash: string;
  readonly signature: ModelSignature;
  /** The learner's full config at capture time. */
  readonly config: LearnerConfig;
  /** Model parameters (copies) with torch.nn.Linear shapes, in the model's order. */
  readonly parameters: Readonly<Record<string, SafetensorsTensor>>;
  readonly optimizer: OptimizerState;
  readonly trainer: TrainerState;
  readonly rng: { readonly dropout: RngState; readonly shuffle: RngState };
  readonly standardizer: StandardizerState | null;
  /** The shuffle buffer's residents, in buffer order (order matters: the shuffle picks by index). */
  readonly residents: readonly Sample[];
  readonly counters: LearnerCounters;
  readonly position: CheckpointPosition;
}

/** A checkpoint read back from a store, with the problems met on the way (skipped corrupt ones). */
export interface LoadedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** Which stored checkpoint this is (a file name, a Kafka offset). */
  readonly id: string;
  /** One line per newer checkpoint that was unreadable and skipped. */
  readonly warnings: readonly string[];
}

export interface SavedCheckpoint {
  readonly id: string;
  readonly bytes: number;
  /** Encoding and durable write, in milliseconds. */
  readonly durationMs: number;
}

/** Where checkpoints live. `save` resolves only once the checkpoint is durable. */
export interface CheckpointStore {
  readonly description: string;
  save(checkpoint: Checkpoint): Promise<SavedCheckpoint>;
  /** The newest readable checkpoint, or null when there is none. */
  latest(): Promise<LoadedCheckpoint | null>;
  close(): Promise<void>;
}
