/**
 * Multinomial logistic (softmax) regression: p = softmax(x Wᵀ + b) over `classes` outputs, one dense
 * layer. `output: 'identity'` emits logits for softmax_cross_entropy (log-softmax inside the loss is
 * the stable pairing); 'softmax' emits probabilities (the default, for cross_entropy).
 */
import type { Rng } from '../math/rng.js';
import { FeedForwardModel } from './feed-forward.js';
import type { ModelConfig } from './types.js';
import { checkOutputWidth, commonFields, oneOf, OUTPUT_ACTIVATIONS, positiveInteger } from './validate.js';

export type SoftmaxConfig = Extract<ModelConfig, { type: 'softmax' }>;

export function createSoftmaxModel(config: SoftmaxConfig, rng: Rng): FeedForwardModel {
  const common = commonFields(config, ['type', 'inputs', 'classes', 'dtype', 'init', 'output']);
  const classes = positiveInteger('model.classes', config.classes, 2);
  const output = oneOf('model.output', config.output, OUTPUT_ACTIVATIONS, 'softmax');
  checkOutputWidth(output, classes);
  return new FeedForwardModel({ type: 'softmax', ...common, hidden: [], outputs: classes, output }, rng);
}
