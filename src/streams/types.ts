import type { LossConfig } from '../losses/types.js';
import type { ModelConfig } from '../model/types.js';
import type { OptimizerConfig } from '../optim/types.js';

/** One record in the format of DESIGN.md §3: features by name or by position, then label, weight, id. */
export interface StreamRecord {
  readonly features: Readonly<Record<string, number>> | readonly number[];
  readonly label: string | number | readonly number[];
  readonly weight?: number;
  readonly id?: string;
}

export type StreamTask = 'multiclass' | 'binary' | 'regression';

/** `object`: `{"height_cm": 182.1, ...}` in `names` order; `array`: `[0.3, 0.1, ...]` by position. */
export type FeatureFormat = 'object' | 'array';

/** `class_name`: a string from `classes`; `class_index`: an integer index into `classes`; `number`: a regression target. */
export type LabelFormat = 'class_name' | 'class_index' | 'number';

/** The learner configuration a stream was designed and checked with. */
export interface RecommendedConfig {
  readonly model: ModelConfig;
  readonly loss: LossConfig;
  readonly optimizer: OptimizerConfig;
  readonly batchSize: number;
  /** Online standardization of the features (Welford) before the model. */
  readonly standardize: boolean;
}

export interface StreamInfo {
  readonly name: string;
  readonly task: StreamTask;
  /** One sentence: what the stream is for. */
  readonly description: string;
  /** How the records are drawn: distributions, constants, draw order. */
  readonly method: string;
  readonly featureFormat: FeatureFormat;
  readonly featureNames: readonly string[];
  readonly labelFormat: LabelFormat;
  /** Class names in output order (index i is model output i); empty for regression. */
  readonly classes: readonly string[];
  readonly defaultRecords: number;
  readonly defaultSeed: number;
  /** The committed file inside streams/, or null when the stream is generated on demand. */
  readonly file: string | null;
  /** The source file of the generator, relative to the package root. */
  readonly generator: string;
  /** Bumped whenever the generator's output bytes change for the same seed and count. */
  readonly version: number;
  readonly recommended: RecommendedConfig;
  /** Machine-readable facts about the default stream (e.g. where drift happens). */
  readonly properties: Readonly<Record<string, number>>;
}

export interface StreamDefinition {
  readonly info: StreamInfo;
  /**
   * Lazily yields `records` records drawn from one `new Rng(seed)`: the whole stream never sits in
   * memory. Arguments are already validated by the catalogue.
   */
  generate(seed: number, records: number): Generator<StreamRecord>;
}

export interface StreamOptions {
  /** Defaults to the stream's `defaultSeed`. An integer in [0, 2^32). */
  readonly seed?: number;
  /** Defaults to the stream's `defaultRecords`. A non-negative integer. */
  readonly records?: number;
}
