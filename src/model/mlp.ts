/**
 * Multi-layer perceptron: dense layers of the given hidden sizes, each followed by `activation` and,
 * when its probability is > 0, inverted dropout; then a dense output layer and the output activation.
 * The chapter's classifier is `{ inputs: 2, hidden: [100], outputs: 3, activation: 'identity' or 'relu' }`
 * with softmax cross-entropy on the logits (output 'identity', the default).
 */
import { ConfigError } from '../errors.js';
import type { Rng } from '../math/rng.js';
import { FeedForwardModel, type HiddenLayerSpec } from './feed-forward.js';
import type { ModelConfig } from './types.js';
import {
  ACTIVATIONS,
  checkOutputWidth,
  commonFields,
  dropoutProbability,
  oneOf,
  OUTPUT_ACTIVATIONS,
  positiveInteger,
  show,
} from './validate.js';

export type MlpConfig = Extract<ModelConfig, { type: 'mlp' }>;

export function createMlpModel(config: MlpConfig, rng: Rng): FeedForwardModel {
  const common = commonFields(config, [
    'type',
    'inputs',
    'hidden',
    'outputs',
    'activation',
    'dropout',
    'dtype',
    'init',
    'output',
  ]);
  if (!Array.isArray(config.hidden)) {
    throw new ConfigError(`model.hidden must be an array of layer sizes, got ${show(config.hidden)}`);
  }
  const sizes = config.hidden.map((units, i) => positiveInteger(`model.hidden[${i}]`, units));
  const outputs = positiveInteger('model.outputs', config.outputs);
  const activation = oneOf('model.activation', config.activation, ACTIVATIONS, 'relu');
  const output = oneOf('model.output', config.output, OUTPUT_ACTIVATIONS, 'identity');
  checkOutputWidth(output, outputs);
  const dropout = dropoutPerLayer(config.dropout, sizes.length);
  const hidden: HiddenLayerSpec[] = sizes.map((units, i) => ({ units, activation, dropout: dropout[i] }));
  return new FeedForwardModel({ type: 'mlp', ...common, hidden, outputs, output }, rng);
}

function dropoutPerLayer(value: MlpConfig['dropout'], layers: number): number[] {
  if (value === undefined) return new Array<number>(layers).fill(0);
  if (!Array.isArray(value)) {
    const p = dropoutProbability('model.dropout', value);
    return new Array<number>(layers).fill(p);
  }
  if (value.length !== layers) {
    throw new ConfigError(
      `model.dropout must have one probability per hidden layer (${layers}), got ${value.length}: ${show(value)}`,
    );
  }
  return value.map((p, i) => dropoutProbability(`model.dropout[${i}]`, p));
}
