/**
 * Proposes a RecordSchema from a sample of records (the first N of a file or topic), with a description
 * to print so the user can check it and copy it into the config. The rules, in order:
 *
 * Features: objects everywhere -> named, in order of first appearance (the producer's column order);
 *   arrays everywhere -> positional, all of one length. A mix, or arrays of several lengths, is an error.
 * Labels:
 *   strings                -> class names, SORTED (code-unit order): the same set always gives the same
 *                             indices, whatever order records arrived in; 2 names -> binary, more -> multiclass;
 *   booleans               -> binary;
 *   integers, all 0 / 1    -> binary;
 *   integers in [0, maxInferredClasses) -> multiclass, classes 0..max (declare task: regression for counts);
 *   other numbers          -> regression;
 *   arrays of length k     -> multiclass probabilities if every row is a distribution, else k-output regression.
 * Records that fail the JSON checks (size, UTF-8, depth, prototype keys) are skipped and counted.
 */
import { ConfigError } from '../errors.js';
import type { SourceRecord } from '../sources/types.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_RECORD_BYTES } from './decode-record.js';
import { hasOwn } from './decode-fields.js';
import type { RecordSchema } from './record-schema.js';
import type { RejectReason } from './sample.js';
import { parseJsonRecord } from './safe-json.js';

export interface InferSchemaOptions {
  /** Records to examine at most. */
  readonly maxRecords?: number;
  /** Integer labels below this read as class indices; at or above it, as regression targets. */
  readonly maxInferredClasses?: number;
  readonly maxRecordBytes?: number;
  readonly maxDepth?: number;
}

export interface InferredSchema {
  readonly schema: RecordSchema;
  /** Several lines for a terminal: what was inferred from what, and what to declare to change it. */
  readonly description: string;
  /** Records read (including skipped ones). */
  readonly examined: number;
  readonly skipped: Readonly<Partial<Record<RejectReason, number>>>;
}

const PROBABILITY_SUM_TOLERANCE = 1e-6;

export function inferSchema(
  records: Iterable<SourceRecord | Buffer | string>,
  options: InferSchemaOptions = {},
): InferredSchema {
  const {
    maxRecords = 1000,
    maxInferredClasses = 32,
    maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
    maxDepth = DEFAULT_MAX_DEPTH,
  } = options;
  const skipped: Partial<Record<RejectReason, number>> = {};
  const skip = (reason: RejectReason): void => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const features: unknown[] = [];
  const labels: unknown[] = [];
  let examined = 0;
  let weighted = 0;
  for (const record of records) {
    if (examined >= maxRecords) break;
    examined++;
    const value = typeof record === 'string' || Buffer.isBuffer(record) ? record : record.value;
    const parsed = parseJsonRecord(value, { maxRecordBytes, maxDepth });
    if (!parsed.ok) {
      skip(parsed.reason);
      continue;
    }
    const object = parsed.value;
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      skip('not_object');
      continue;
    }
    const fields = object as Record<string, unknown>;
    if (!hasOwn(fields, 'features')) {
      skip('missing_features');
      continue;
    }
    features.push(fields.features);
    const label = hasOwn(fields, 'label') ? fields.label : null;
    if (typeof label === 'number' && !Number.isFinite(label)) skip('non_finite');
    else if (label !== null) labels.push(label);
    if (hasOwn(fields, 'weight')) weighted++;
  }
  if (features.length === 0) {
    throw new ConfigError(`cannot infer a schema: none of the ${examined} records examined has features (skipped: ${formatCounts(skipped)})`);
  }
  const featurePart = inferFeatures(features);
  const labelPart = inferLabels(labels, maxInferredClasses);
  const schema: RecordSchema = { features: featurePart.features, ...labelPart.schema };
  const usable = features.length;
  const lines = [
    `Schema inferred from ${usable} of ${examined} records${usable < examined ? ` (skipped: ${formatCounts(skipped)})` : ''}:`,
    `  features: ${featurePart.description}`,
    `  task:     ${labelPart.description}`,
  ];
  if (weighted > 0) lines.push(`  weights:  present in ${weighted} records`);
  lines.push('Declare `schema` in the config to override any of this.');
  return { schema, description: lines.join('\n'), examined, skipped };
}

function inferFeatures(values: readonly unknown[]): { features: string[] | number; description: string } {
  let objects = 0;
  const lengths = new Map<number, number>();
  const names: string[] = [];
  const seen = new Map<string, number>();
  for (const value of values) {
    if (Array.isArray(value)) {
      lengths.set(value.length, (lengths.get(value.length) ?? 0) + 1);
    } else if (typeof value === 'object' && value !== null) {
      objects++;
      for (const name of Object.keys(value)) {
        const count = seen.get(name);
        if (count === undefined) names.push(name);
        seen.set(name, (count ?? 0) + 1);
      }
    } else {
      throw new ConfigError(`cannot infer a schema: features must be objects or arrays, found ${typeof value}`);
    }
  }
  const arrays = values.length - objects;
  if (objects > 0 && arrays > 0) {
    throw new ConfigError(
      `cannot infer a schema: ${objects} records give features by name (object) and ${arrays} by position (array); declare schema.features`,
    );
  }
  if (arrays > 0) {
    if (lengths.size > 1) {
      const seenLengths = [...lengths].map(([length, count]) => `${length} (${count} records)`).join(', ');
      throw new ConfigError(`cannot infer a schema: feature arrays have different lengths: ${seenLengths}`);
    }
    const [count] = lengths.keys();
    return { features: count, description: `${count} positional (arrays)` };
  }
  const partial = names.filter((name) => seen.get(name) !== objects);
  const note =
    partial.length === 0
      ? ''
      : `; ${partial.join(', ')} missing from some records (those records will be rejected as missing_features)`;
  return { features: names, description: `${names.length} named (${names.join(', ')})${note}` };
}

type LabelPart = { schema: Omit<RecordSchema, 'features'>; description: string };

function inferLabels(labels: readonly unknown[], maxInferredClasses: number): LabelPart {
  if (labels.length === 0) throw new ConfigError('cannot infer a schema: no record examined has a label');
  const kinds = new Set(labels.map((label) => (Array.isArray(label) ? 'array' : typeof label)));
  if (kinds.size > 1) {
    throw new ConfigError(`cannot infer a schema: labels mix ${[...kinds].join(' and ')}; declare schema.task and schema.classes`);
  }
  const [kind] = kinds;
  switch (kind) {
    case 'string':
      return classNames(labels as string[]);
    case 'boolean':
      return { schema: { task: 'binary' }, description: 'binary (boolean labels: true is the positive class)' };
    case 'number':
      return numericLabels(labels as number[], maxInferredClasses);
    case 'array':
      return rowLabels(labels as unknown[][]);
    default:
      throw new ConfigError(`cannot infer a schema: labels are ${kind}s; expected class names, numbers or arrays`);
  }
}

function classNames(labels: readonly string[]): LabelPart {
  const classes = [...new Set(labels)].sort();
  if (classes.length < 2) {
    throw new ConfigError(`cannot infer a schema: every label is '${classes[0]}'; declare schema.task and schema.classes`);
  }
  const task = classes.length === 2 ? 'binary' : 'multiclass';
  const list = classes.map((name, i) => `${i}=${name}`).join(', ');
  return {
    schema: { task, classes },
    description: `${task}, ${classes.length} classes sorted by name (${list}); declare schema.classes to choose the order`,
  };
}

function numericLabels(labels: readonly number[], maxInferredClasses: number): LabelPart {
  let integers = true;
  let min = Infinity;
  let max = -Infinity;
  for (const label of labels) {
    if (!Number.isInteger(label)) integers = false;
    if (label < min) min = label;
    if (label > max) max = label;
  }
  if (integers && min >= 0 && max <= 1) {
    return { schema: { task: 'binary' }, description: 'binary (labels 0 / 1)' };
  }
  if (integers && min >= 0 && max < maxInferredClasses) {
    return {
      schema: { task: 'multiclass', outputs: max + 1 },
      description: `multiclass, ${max + 1} classes (integer labels 0..${max}); declare task: regression if they are quantities`,
    };
  }
  return { schema: { task: 'regression' }, description: `regression, 1 output (labels from ${min} to ${max})` };
}

function rowLabels(labels: readonly unknown[][]): LabelPart {
  const lengths = new Set(labels.map((row) => row.length));
  if (lengths.size > 1) {
    throw new ConfigError(`cannot infer a schema: label arrays have different lengths: ${[...lengths].join(', ')}`);
  }
  const [outputs] = lengths;
  const distributions = labels.every(isDistribution);
  if (distributions && outputs >= 2) {
    return {
      schema: { task: 'multiclass', outputs },
      description: `multiclass, ${outputs} classes (every label is a probability row)`,
    };
  }
  return { schema: { task: 'regression', outputs }, description: `regression, ${outputs} outputs (label arrays)` };
}

function isDistribution(row: readonly unknown[]): boolean {
  let sum = 0;
  for (const v of row) {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) return false;
    sum += v;
  }
  return Math.abs(sum - 1) <= PROBABILITY_SUM_TOLERANCE;
}

function formatCounts(counts: Partial<Record<string, number>>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([reason, n]) => `${reason} ${n}`).join(', ');
}
