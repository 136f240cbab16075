/**
 * Binary logistic regression: p = sigmoid(x wᵀ + b), one dense layer with a single output. With
 * `output: 'identity'` it emits the logit instead, for losses that take logits (bce_with_logits, focal),
 * which is the numerically stable pairing.
 */
import { ConfigError } from '../errors.js';
import type { Rng } from '../math/rng.js';
import { FeedForwardModel } from './feed-forward.js';
import type { ModelConfig } from './types.js';
import { commonFields, show } from './validate.js';

export type LogisticConfig = Extract<ModelConfig, { type: 'logistic' }>;

export function createLogisticModel(config: LogisticConfig, rng: Rng): FeedForwardModel {
  const common = commonFields(config, ['type', 'inputs', 'dtype', 'init', 'output']);
  const output = config.output ?? 'sigmoid';
  if (output !== 'sigmoid' && output !== 'identity') {
    throw new ConfigError(`model.output of a logistic model must be 'sigmoid' or 'identity', got ${show(output)}`);
  }
  return new FeedForwardModel({ type: 'logistic', ...common, hidden: [], outputs: 1, output }, rng);
}
