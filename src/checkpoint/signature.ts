/**
 * Compatibility of a checkpoint with a learner: the model signature (what fixes the meaning of the
 * parameters), its hash, and readable differences between two configs.
 *
 * Incompatible (restoring would be meaningless): the record schema (feature names and order, task,
 * classes), standardization on/off (the weights were learned on standardized or raw inputs), the loss
 * type (it picks the output head), the model type, hidden activation, dtype and every parameter's shape.
 * Everything else is a hyper-parameter and may change between runs: learning rate and schedule, batch
 * size, shuffle capacity, dropout rate, regularization, loss options, metric windows, seed.
 */
import { createHash } from 'node:crypto';
import type { Learner, LearnerConfig } from '../pipeline/learner.js';
import type { SafetensorsTensor } from './safetensors.js';
import { canonicalJson } from './exact-json.js';
import type { ModelSignature } from './types.js';

/** mlp.ts's default hidden activation: an unset activation and an explicit 'relu' are the same model. */
const DEFAULT_MLP_ACTIVATION = 'relu';

export function modelSignature(config: LearnerConfig, parameters: Readonly<Record<string, SafetensorsTensor>>, dtype: string): ModelSignature {
  const shapes: Record<string, readonly number[]> = {};
  for (const [name, tensor] of Object.entries(parameters)) shapes[name] = [...tensor.shape];
  return {
    schema: config.schema,
    standardize: config.standardize,
    loss: config.loss.type,
    model: {
      type: config.model.type,
      activation: config.model.type === 'mlp' ? (config.model.activation ?? DEFAULT_MLP_ACTIVATION) : null,
      dtype,
      parameters: shapes,
    },
  };
}

export function signatureHash(signature: ModelSignature): string {
  return createHash('sha256').update(canonicalJson(signature)).digest('hex');
}

/** The learner's signature, from its live parameters (shapes only are read). */
export function learnerSignature(learner: Learner, parameters: Readonly<Record<string, SafetensorsTensor>>): ModelSignature {
  return modelSignature(learner.config, parameters, learner.setup.model.dtype);
}

/**
 * Leaf-by-leaf differences, one line each: `path: old -> new`. Arrays are compared whole (a feature
 * list or a shape reads better as one value); a key present on one side only shows as `(absent)`.
 */
export function differences(before: unknown, after: unknown, path = ''): string[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    const out: string[] = [];
    for (const key of keys) out.push(...differences(before[key], after[key], path === '' ? key : `${path}.${key}`));
    return out;
  }
  const a = show(before);
  const b = show(after);
  return a === b ? [] : [`${path === '' ? '(root)' : path}: ${a} -> ${b}`];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? '(absent)' : canonicalJson(value);
}
