/**
 * Linear regression: y = x Wᵀ + b, one dense layer with identity output (`outputs` targets, default 1).
 * Trained with mse this is ordinary least squares by SGD.
 */
import type { Rng } from '../math/rng.js';
import { FeedForwardModel } from './feed-forward.js';
import type { ModelConfig } from './types.js';
import { commonFields, positiveInteger } from './validate.js';

export type LinearConfig = Extract<ModelConfig, { type: 'linear' }>;

export function createLinearModel(config: LinearConfig, rng: Rng): FeedForwardModel {
  const common = commonFields(config, ['type', 'inputs', 'outputs', 'dtype', 'init']);
  const outputs = config.outputs === undefined ? 1 : positiveInteger('model.outputs', config.outputs);
  return new FeedForwardModel({ type: 'linear', ...common, hidden: [], outputs, output: 'identity' }, rng);
}
