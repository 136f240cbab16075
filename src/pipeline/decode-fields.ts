/**
 * Field-level checks of a parsed record: features, label, weight and id. Each returns the decoded value
 * or a Problem; none throws. Record keys are only ever read with Object.hasOwn and looked up in Maps, so
 * no key from a record can reach a prototype.
 */
import type { Tensor } from '../math/tensor.js';
import type { ResolvedSchema } from './record-schema.js';
import type { RejectReason } from './sample.js';

export interface Problem {
  readonly reason: RejectReason;
  readonly message: string;
}

export type UnknownFeatures = 'reject' | 'ignore';

// Sums of probability rows written by Python (0.1 + 0.2 + 0.7 = 0.9999999999999999) must pass.
const PROBABILITY_SUM_TOLERANCE = 1e-6;

const NON_FINITE_TEXT = /^\s*[+-]?(?:nan|inf|infinity)\s*$/i;

export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** A short, safe rendering of a value for messages. */
export function preview(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  if (value === null || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
}

/** Why `value`, which is not a finite number, is refused. */
function notFinite(field: string, value: unknown): Problem {
  if (typeof value === 'number') return { reason: 'non_finite', message: `${field}: ${value} is not finite` };
  if (typeof value === 'string' && NON_FINITE_TEXT.test(value)) {
    return { reason: 'non_finite', message: `${field}: ${preview(value)} is not a finite number` };
  }
  return { reason: 'bad_type', message: `${field}: expected a finite number, got ${preview(value)}` };
}

/** x[i] = value, refusing non-numbers and values a float32 x cannot hold (1e300 would become Infinity). */
function store(x: Tensor, i: number, value: unknown, field: string): Problem | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return notFinite(field, value);
  x[i] = value;
  if (!Number.isFinite(x[i])) return { reason: 'non_finite', message: `${field}: ${value} overflows float32` };
  return null;
}

export function decodeFeatures(
  features: unknown,
  schema: ResolvedSchema,
  unknownFeatures: UnknownFeatures,
  x: Tensor,
): Problem | null {
  const n = schema.featureCount;
  if (Array.isArray(features)) {
    if (features.length !== n) {
      return { reason: 'wrong_feature_count', message: `features: expected ${n} values, got ${features.length}` };
    }
    for (let i = 0; i < n; i++) {
      const problem = store(x, i, features[i], `features[${i}]`);
      if (problem !== null) return problem;
    }
    return null;
  }
  if (typeof features !== 'object' || features === null) {
    return { reason: 'bad_type', message: `features: expected an object or an array, got ${preview(features)}` };
  }
  const names = schema.featureNames;
  if (names === null) {
    return { reason: 'bad_type', message: `features: the schema has ${n} positional features, so features must be an array` };
  }
  const byName = features as Record<string, unknown>;
  for (let i = 0; i < n; i++) {
    const name = names[i];
    if (!hasOwn(byName, name)) {
      const extra = unknownNames(byName, schema);
      const hint = extra.length > 0 ? ` (the record has unknown ${extra.map((e) => preview(e)).join(', ')})` : '';
      return { reason: 'missing_features', message: `features.${name} is missing${hint}` };
    }
    const problem = store(x, i, byName[name], `features.${name}`);
    if (problem !== null) return problem;
  }
  // Every declared name is present and JSON keys are unique, so more keys means an unknown one.
  if (unknownFeatures === 'reject' && Object.keys(byName).length > n) {
    const extra = unknownNames(byName, schema);
    return { reason: 'unknown_feature', message: `features: ${extra.map((e) => preview(e)).join(', ')} not in the schema` };
  }
  return null;
}

function unknownNames(features: Record<string, unknown>, schema: ResolvedSchema): string[] {
  return Object.keys(features)
    .filter((key) => !schema.featureIndex.has(key))
    .slice(0, 3);
}

export type LabelResult = { readonly y: number | Float64Array } | Problem;

export function decodeLabel(label: unknown, schema: ResolvedSchema): LabelResult {
  if (label === undefined || label === null) return { reason: 'missing_label', message: 'label is missing' };
  switch (schema.task) {
    case 'regression':
      return regressionLabel(label, schema.outputs);
    case 'binary':
      return binaryLabel(label, schema);
    case 'multiclass':
      return multiclassLabel(label, schema);
  }
}

function regressionLabel(label: unknown, outputs: number): LabelResult {
  if (Array.isArray(label)) {
    if (label.length !== outputs) {
      return { reason: 'bad_label', message: `label: expected ${outputs === 1 ? 'a number' : `${outputs} numbers`}, got an array of ${label.length}` };
    }
    const row = new Float64Array(outputs);
    for (let j = 0; j < outputs; j++) {
      const v: unknown = label[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) return asLabelProblem(notFinite(`label[${j}]`, v));
      row[j] = v;
    }
    return { y: outputs === 1 ? row[0] : row };
  }
  if (outputs !== 1) return { reason: 'bad_label', message: `label: expected an array of ${outputs} numbers, got ${preview(label)}` };
  if (typeof label === 'number' && Number.isFinite(label)) return { y: label };
  return asLabelProblem(notFinite('label', label));
}

/** Binary targets are one number: 0 / 1 (a class) or a probability in between (a soft target). */
function binaryLabel(label: unknown, schema: ResolvedSchema): LabelResult {
  if (typeof label === 'boolean') return { y: label ? 1 : 0 };
  if (typeof label === 'string') return className(label, schema);
  if (typeof label === 'number') {
    if (!Number.isFinite(label)) return { reason: 'non_finite', message: `label: ${label} is not finite` };
    if (label >= 0 && label <= 1) return { y: label };
    if (Number.isInteger(label)) return { reason: 'unknown_class', message: `label: class index ${label} is not 0 or 1` };
    return { reason: 'bad_label', message: `label: ${label} is not a class (0, 1) nor a probability in [0, 1]` };
  }
  return { reason: 'bad_label', message: `label: expected a class name, 0 / 1, a boolean or a probability, got ${preview(label)}` };
}

function multiclassLabel(label: unknown, schema: ResolvedSchema): LabelResult {
  const classes = schema.outputs;
  if (typeof label === 'string') return className(label, schema);
  if (typeof label === 'number') {
    if (!Number.isFinite(label)) return { reason: 'non_finite', message: `label: ${label} is not finite` };
    if (!Number.isInteger(label)) return { reason: 'bad_label', message: `label: ${label} is not a class index (an integer)` };
    if (label < 0 || label >= classes) {
      return { reason: 'unknown_class', message: `label: class index ${label} is out of range [0, ${classes - 1}]` };
    }
    return { y: label };
  }
  if (Array.isArray(label)) return probabilityRow(label, classes);
  return { reason: 'bad_label', message: `label: expected a class name, a class index or ${classes} probabilities, got ${preview(label)}` };
}

function className(label: string, schema: ResolvedSchema): LabelResult {
  const index = schema.classIndex.get(label);
  if (index !== undefined) return { y: index };
  const known = schema.classNames === null ? 'the schema has no class names' : `classes: ${schema.classNames.join(', ')}`;
  return { reason: 'unknown_class', message: `label: ${preview(label)} is not a known class (${known})` };
}

function probabilityRow(label: readonly unknown[], classes: number): LabelResult {
  if (label.length !== classes) {
    return { reason: 'bad_label', message: `label: a probability target needs ${classes} values, got ${label.length}` };
  }
  const row = new Float64Array(classes);
  let sum = 0;
  for (let j = 0; j < classes; j++) {
    const v: unknown = label[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) return asLabelProblem(notFinite(`label[${j}]`, v));
    if (v < 0 || v > 1) return { reason: 'bad_label', message: `label[${j}]: ${v} is not a probability in [0, 1]` };
    row[j] = v;
    sum += v;
  }
  if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
    return { reason: 'bad_label', message: `label: probabilities sum to ${sum}, not 1` };
  }
  return { y: row };
}

/** Label values of the wrong JSON type are a bad label, not a bad feature type. */
function asLabelProblem(problem: Problem): Problem {
  return problem.reason === 'bad_type' ? { reason: 'bad_label', message: problem.message } : problem;
}

export type WeightResult = { readonly weight: number } | Problem;

/**
 * The largest sample weight accepted by default. Finite is not enough: a weight of 1e30 multiplies its
 * gradient into a step that wrecks the model without tripping the non-finite guard, and one such record
 * would also refuse the innocent samples of its batch.
 */
export const DEFAULT_MAX_WEIGHT = 1e6;

/** A numeric weight's problem, or null: finite, >= 0 and at most maxWeight (JSON and binary records alike). */
export function weightProblem(weight: number, maxWeight: number): Problem | null {
  if (!Number.isFinite(weight)) return { reason: 'non_finite', message: `weight: ${weight} is not finite` };
  if (weight < 0) return { reason: 'bad_weight', message: `weight: ${weight} is invalid: must be >= 0` };
  if (weight > maxWeight) return { reason: 'bad_weight', message: `weight: ${weight} is invalid: must be at most ${maxWeight} (schema.maxWeight)` };
  return null;
}

export function decodeWeight(weight: unknown, maxWeight = DEFAULT_MAX_WEIGHT): WeightResult {
  if (weight === undefined) return { weight: 1 };
  if (typeof weight === 'number') return weightProblem(weight, maxWeight) ?? { weight };
  if (typeof weight === 'string' && NON_FINITE_TEXT.test(weight)) {
    return { reason: 'non_finite', message: `weight: ${preview(weight)} is not a finite number` };
  }
  return { reason: 'bad_weight', message: `weight: expected a number >= 0, got ${preview(weight)}` };
}

export type IdResult = { readonly id: string | undefined } | Problem;

export function decodeId(id: unknown): IdResult {
  if (id === undefined) return { id: undefined };
  if (typeof id === 'string') return { id };
  if (typeof id === 'number' && Number.isFinite(id)) return { id: String(id) };
  return { reason: 'bad_type', message: `id: expected a string or a number, got ${preview(id)}` };
}
