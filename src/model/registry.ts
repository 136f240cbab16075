/**
 * createModel: one entry point from a validated-on-entry config to a Model. Initial weights are drawn
 * from `options.rng` if given, else from `new Rng(options.seed ?? 0)`, so the same config and seed give
 * bit-identical initial parameters.
 */
import { ConfigError } from '../errors.js';
import { Rng } from '../math/rng.js';
import { createLinearModel } from './linear.js';
import { createLogisticModel } from './logistic.js';
import { createMlpModel } from './mlp.js';
import { createSoftmaxModel } from './softmax.js';
import type { Model, ModelConfig, ModelType } from './types.js';
import { show } from './validate.js';

export const MODEL_TYPES: readonly ModelType[] = ['linear', 'logistic', 'softmax', 'mlp'];

export interface CreateModelOptions {
  /** Source of the initial weights; takes precedence over `seed`. */
  rng?: Rng;
  seed?: number;
}

export function createModel(config: ModelConfig, options: CreateModelOptions = {}): Model {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(`model must be an object with a type, got ${show(config)}`);
  }
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  switch (config.type) {
    case 'linear':
      return createLinearModel(config, rng);
    case 'logistic':
      return createLogisticModel(config, rng);
    case 'softmax':
      return createSoftmaxModel(config, rng);
    case 'mlp':
      return createMlpModel(config, rng);
    default:
      throw new ConfigError(
        `model.type must be one of ${MODEL_TYPES.join(', ')}, got ${show((config as { type?: unknown }).type)}`,
      );
  }
}
