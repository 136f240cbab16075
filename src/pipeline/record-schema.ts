/**
 * The record schema: which features a record has (names in order, or a count for positional arrays),
 * the task, and the label space. The config declares it, or `inferSchema` proposes one from a sample.
 */
import { ConfigError } from '../errors.js';

export type Task = 'regression' | 'binary' | 'multiclass';

export const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass'];

export interface RecordSchema {
  /** Feature names in model-input order (records may give an object by name or an array by position), or a count (arrays only). */
  readonly features: readonly string[] | number;
  readonly task: Task;
  /** Class names; index i is class i. Binary: exactly 2 names (index 1 is the positive class). Optional: labels may be indices. */
  readonly classes?: readonly string[];
  /** Regression: number of targets (default 1). Multiclass without names: number of classes. */
  readonly outputs?: number;
}

/** Keys that would reach Object.prototype if copied naively; never valid as a name anywhere. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A schema with everything the decoder looks up per record precomputed. */
export interface ResolvedSchema {
  readonly task: Task;
  readonly featureNames: readonly string[] | null;
  readonly featureCount: number;
  /** Name -> position; a Map, so no record key can reach a prototype. */
  readonly featureIndex: ReadonlyMap<string, number>;
  readonly classNames: readonly string[] | null;
  readonly classIndex: ReadonlyMap<string, number>;
  /** Width of y: 1 for a scalar target (regression with one output, binary), else the row length. */
  readonly outputs: number;
}

export interface SchemaProblem {
  /** Path under the schema, e.g. `classes[2]`. */
  readonly path: string;
  readonly message: string;
}

/** Every rule a schema breaks, for config validation (which prefixes the paths with `schema.`). */
export function schemaProblems(schema: RecordSchema): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const { features, task, classes, outputs } = schema;
  if (typeof features === 'number') {
    if (!Number.isInteger(features) || features < 1) {
      problems.push({ path: 'features', message: `${features} is invalid: must be an integer >= 1 or a list of names` });
    }
  } else {
    if (features.length === 0) problems.push({ path: 'features', message: 'is empty: declare at least one feature' });
    problems.push(...nameProblems('features', features));
  }
  if (classes !== undefined) {
    problems.push(...nameProblems('classes', classes));
    if (task === 'regression') {
      problems.push({ path: 'classes', message: 'is set but task is regression: remove it or choose binary / multiclass' });
    }
    if (task === 'binary' && classes.length !== 2) {
      problems.push({ path: 'classes', message: `has ${classes.length} names: binary needs exactly 2 (negative, positive)` });
    }
    if (task === 'multiclass' && classes.length < 2) {
      problems.push({ path: 'classes', message: `has ${classes.length} name(s): multiclass needs at least 2` });
    }
  }
  if (outputs !== undefined) {
    if (!Number.isInteger(outputs) || outputs < 1) {
      problems.push({ path: 'outputs', message: `${outputs} is invalid: must be an integer >= 1` });
    } else if (task === 'binary' && outputs !== 1) {
      problems.push({ path: 'outputs', message: `${outputs} is invalid for binary: a binary target is one value (omit outputs)` });
    } else if (task === 'multiclass' && outputs < 2) {
      problems.push({ path: 'outputs', message: `${outputs} is invalid for multiclass: must be >= 2 (the number of classes)` });
    } else if (task === 'multiclass' && classes !== undefined && classes.length !== outputs) {
      problems.push({ path: 'outputs', message: `${outputs} disagrees with the ${classes.length} class names: omit it or make them equal` });
    }
  }
  if (task === 'multiclass' && classes === undefined && outputs === undefined) {
    problems.push({ path: 'classes', message: 'is missing: multiclass needs class names (classes) or a class count (outputs)' });
  }
  return problems;
}

function nameProblems(field: string, names: readonly string[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (typeof name !== 'string' || name.length === 0) {
      problems.push({ path: `${field}[${i}]`, message: `${JSON.stringify(name)} is invalid: must be a non-empty string` });
    } else if (PROTOTYPE_KEYS.has(name)) {
      problems.push({ path: `${field}[${i}]`, message: `'${name}' is invalid: records with this key are always rejected (prototype_key)` });
    } else if (seen.has(name)) {
      problems.push({ path: `${field}[${i}]`, message: `'${name}' is a duplicate: names must be unique` });
    }
    seen.add(name);
  }
  return problems;
}

/** Validates and precomputes; throws ConfigError listing every problem. */
export function resolveSchema(schema: RecordSchema): ResolvedSchema {
  const problems = schemaProblems(schema);
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => `schema.${p.path}: ${p.message}`).join('\n'));
  }
  const featureNames = typeof schema.features === 'number' ? null : [...schema.features];
  const classNames = schema.classes === undefined ? null : [...schema.classes];
  return {
    task: schema.task,
    featureNames,
    featureCount: featureNames === null ? (schema.features as number) : featureNames.length,
    featureIndex: new Map((featureNames ?? []).map((name, i) => [name, i])),
    classNames,
    classIndex: new Map((classNames ?? []).map((name, i) => [name, i])),
    outputs: outputsOf(schema),
  };
}

/** Number of classes for classification (2 for binary), null for regression. */
export function classCount(schema: RecordSchema): number | null {
  if (schema.task === 'binary') return 2;
  if (schema.task === 'multiclass') return schema.classes?.length ?? schema.outputs ?? null;
  return null;
}

/** Width of the model output the schema implies: regression outputs, 1 for binary, the class count for multiclass. */
export function outputsOf(schema: RecordSchema): number {
  if (schema.task === 'binary') return 1;
  if (schema.task === 'multiclass') return classCount(schema) ?? 0;
  return schema.outputs ?? 1;
}

export function featureCountOf(schema: RecordSchema): number {
  return typeof schema.features === 'number' ? schema.features : schema.features.length;
}
