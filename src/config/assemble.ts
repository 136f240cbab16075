/**
 * From the validated config to what the rest of the project takes: createOptimizer's and createLoss's
 * configs, the decoder's options, and the Learner's config. The model section is already training's
 * ModelSpec: inputs and outputs follow from the record schema and the loss (training/setup.ts).
 */
import { ConfigError } from '../errors.js';
import type { LossConfig } from '../losses/types.js';
import type { OptimizerConfig } from '../optim/types.js';
import type { DecodeOptions } from '../pipeline/decode-record.js';
import { DEFAULT_MAX_WEIGHT } from '../pipeline/decode-fields.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import type { RecordSchema, Task } from '../pipeline/record-schema.js';
import type { AppConfig } from './schema.js';

/** The optimizer with its schedule folded into `lr` (a constant schedule stays a plain number). */
export function optimizerConfigOf({ optimizer, schedule }: Pick<AppConfig, 'optimizer' | 'schedule'>): OptimizerConfig {
  if (schedule.type === 'constant') return optimizer;
  return { ...optimizer, lr: { ...schedule, lr: optimizer.lr } };
}

/** The configured loss, or the usual one for the task: mse, bce_with_logits, softmax_cross_entropy. */
export function lossConfigOf(config: Pick<AppConfig, 'loss'>, task: Task): LossConfig {
  return config.loss ?? defaultLossFor(task);
}

export function defaultLossFor(task: Task): LossConfig {
  switch (task) {
    case 'regression':
      return { type: 'mse', reduction: 'mean' };
    case 'binary':
      return { type: 'bce_with_logits', reduction: 'mean' };
    case 'multiclass':
      return { type: 'softmax_cross_entropy', reduction: 'mean' };
  }
}

export function decodeOptionsOf(config: Pick<AppConfig, 'source' | 'schema' | 'model'>): DecodeOptions {
  return {
    // Files and shipped streams are JSON lines; only a Kafka topic may carry the binary format.
    format: config.source.type === 'kafka' ? config.source.format : 'json',
    dtype: config.model.dtype,
    unknownFeatures: config.schema?.unknownFeatures ?? 'reject',
    maxWeight: config.schema?.maxWeight ?? DEFAULT_MAX_WEIGHT,
    maxRecordBytes: config.source.maxRecordBytes,
  };
}

/**
 * The Learner's config. `schema` is the configured one, or the one inferred from the first records when
 * the config has none; a configured schema always wins.
 */
export function learnerConfigOf(config: AppConfig, inferred?: RecordSchema): LearnerConfig {
  const schema = config.schema ?? inferred;
  if (schema === undefined) throw new ConfigError('schema: missing: declare it, or infer it from the first records (inferSchema)');
  const { training, metrics } = config;
  return {
    schema,
    model: config.model,
    loss: lossConfigOf(config, schema.task),
    optimizer: optimizerConfigOf(config),
    regularization: config.regularization,
    batchSize: training.batchSize,
    maxWaitMs: training.maxWaitMs,
    shuffleBuffer: training.shuffleBuffer,
    standardize: training.standardize,
    seed: training.seed,
    decode: decodeOptionsOf(config),
    qualityWindow: metrics.qualityWindow,
    lossHalfLifeSteps: metrics.lossHalfLifeSteps,
  };
}
