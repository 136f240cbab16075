/**
 * Config checks shared by the model factories. Every failure is a ConfigError naming the field
 * (`model.hidden[1]`), the value it got and the rule it broke.
 */
import { ConfigError } from '../errors.js';
import type { DType } from '../math/tensor.js';
import type { Activation, Initializer, OutputActivation } from './types.js';

export const ACTIVATIONS: readonly Activation[] = ['identity', 'relu', 'tanh', 'sigmoid'];
export const OUTPUT_ACTIVATIONS: readonly OutputActivation[] = ['identity', 'sigmoid', 'softmax'];
export const INITIALIZERS: readonly Initializer[] = ['xavier_uniform', 'he_uniform', 'he_normal', 'zeros', 'torch_default'];
export const DTYPES: readonly DType[] = ['float32', 'float64'];

export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function positiveInteger(field: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigError(`${field} must be an integer >= ${min}, got ${show(value)}`);
  }
  return value;
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${field} must be one of ${allowed.join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

/** Dropout probability p in [0, 1): p = 1 would drop everything and divide by zero when rescaling. */
export function dropoutProbability(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new ConfigError(`${field} must be a number in [0, 1), got ${show(value)}`);
  }
  return value;
}

/** Softmax over a single output is the constant 1 with a zero gradient: almost surely a config mistake. */
export function checkOutputWidth(output: OutputActivation, outputs: number): void {
  if (output === 'softmax' && outputs < 2) {
    throw new ConfigError(`model.output 'softmax' needs at least 2 outputs, got ${outputs}`);
  }
}

export interface CommonFields {
  readonly inputs: number;
  readonly dtype: DType;
  readonly init: Initializer;
}

/**
 * Rejects fields the model type does not have (a typo such as `hiden` would otherwise be ignored
 * silently), then checks the fields every model shares. Defaults: float32, xavier_uniform.
 */
export function commonFields(config: Readonly<Record<string, unknown>>, allowed: readonly string[]): CommonFields {
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        `model.${key} is not a field of a ${show(config.type)} model (fields: ${allowed.join(', ')})`,
      );
    }
  }
  return {
    inputs: positiveInteger('model.inputs', config.inputs),
    dtype: oneOf('model.dtype', config.dtype, DTYPES, 'float32'),
    init: oneOf('model.init', config.init, INITIALIZERS, 'xavier_uniform'),
  };
}
