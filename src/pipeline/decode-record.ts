/**
 * Record decoding (DESIGN.md §3): one SourceRecord in, a Sample or a Rejected out. Pure: the decoder
 * keeps no state between records, and nothing it meets escapes as an exception.
 *
 *   {"features": {"height": 182.1, "weight": 81.0}, "label": "man"}
 *   {"features": [182.1, 81.0], "label": 0, "weight": 2.0, "id": "s-17"}
 *
 * Top-level keys other than features / label / weight / id are ignored (producers add metadata).
 */
import { allocate } from '../math/tensor.js';
import type { DType } from '../math/tensor.js';
import type { Origin, SourceRecord } from '../sources/types.js';
import { DEFAULT_MAX_WEIGHT, decodeFeatures, decodeId, decodeLabel, decodeWeight, hasOwn } from './decode-fields.js';
import type { Problem, UnknownFeatures } from './decode-fields.js';
import { resolveSchema } from './record-schema.js';
import type { RecordSchema } from './record-schema.js';
import type { Decoded, Rejected } from './sample.js';
import { createFlatJsonDecoder } from './flat-json.js';
import { parseJsonRecord } from './safe-json.js';

export type { UnknownFeatures } from './decode-fields.js';

/** How record values are encoded: JSON text (one sample), or the binary format (binary-format.ts: many samples). */
export type RecordFormat = 'json' | 'binary';

export const RECORD_FORMATS: readonly RecordFormat[] = ['json', 'binary'];

export interface DecodeOptions {
  /** Default json. */
  readonly format?: RecordFormat;
  /** dtype of Sample.x: the model's. */
  readonly dtype?: DType;
  /** Feature names the schema does not declare: refuse the record, or drop the extra values. */
  readonly unknownFeatures?: UnknownFeatures;
  /** Largest record in UTF-8 bytes, checked before decoding. */
  readonly maxRecordBytes?: number;
  /** Deepest nesting of arrays / objects; records are flat, so a small bound costs nothing. */
  readonly maxDepth?: number;
  /** Length of Rejected.raw, in characters. */
  readonly rawPreviewChars?: number;
  /** Binary format: most samples in one record (more: oversize). */
  readonly maxSamplesPerRecord?: number;
  /** Largest sample weight accepted (more: bad_weight); default DEFAULT_MAX_WEIGHT. */
  readonly maxWeight?: number;
  /** Binary format: emit RowSamples, see BinaryDecodeOptions.rowSamples. */
  readonly rowSamples?: boolean;
}

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 16;
const DEFAULT_RAW_PREVIEW_CHARS = 512;

export type RecordDecoder = (record: SourceRecord) => Decoded;

/** Validates the schema once (ConfigError if invalid) and returns the per-record decoding function. */
export function createRecordDecoder(schema: RecordSchema, options: DecodeOptions = {}): RecordDecoder {
  const resolved = resolveSchema(schema);
  const {
    dtype = 'float32',
    unknownFeatures = 'reject',
    maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
    maxDepth = DEFAULT_MAX_DEPTH,
    rawPreviewChars = DEFAULT_RAW_PREVIEW_CHARS,
    maxWeight = DEFAULT_MAX_WEIGHT,
  } = options;
  const limits = { maxRecordBytes, maxDepth };
  // Bytes (Kafka values) of the common flat shape skip UTF-8 decoding and JSON.parse; strings and
  // every record it gives up on take the general path below, which alone decides rejects.
  const flat = createFlatJsonDecoder(resolved, { dtype, maxRecordBytes, maxDepth, maxWeight });

  return (record) => {
    const { origin, value: bytes } = record;
    if (flat !== null && bytes !== null && typeof bytes !== 'string') {
      const sample = flat(bytes, origin);
      if (sample !== null) return sample;
    }
    const parsed = parseJsonRecord(bytes, limits);
    if (!parsed.ok) return rejected(parsed, origin, parsed.text, rawPreviewChars);
    const { value, text } = parsed;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return rejected({ reason: 'not_object', message: `expected a JSON object, got ${jsonKind(value)}` }, origin, text, rawPreviewChars);
    }
    const fields = value as Record<string, unknown>;
    if (!hasOwn(fields, 'features')) return rejected({ reason: 'missing_features', message: 'features is missing' }, origin, text, rawPreviewChars);
    const x = allocate(dtype, resolved.featureCount);
    const featureProblem = decodeFeatures(fields.features, resolved, unknownFeatures, x);
    if (featureProblem !== null) return rejected(featureProblem, origin, text, rawPreviewChars);
    const label = decodeLabel(hasOwn(fields, 'label') ? fields.label : undefined, resolved);
    if ('reason' in label) return rejected(label, origin, text, rawPreviewChars);
    const weight = decodeWeight(hasOwn(fields, 'weight') ? fields.weight : undefined, maxWeight);
    if ('reason' in weight) return rejected(weight, origin, text, rawPreviewChars);
    const id = decodeId(hasOwn(fields, 'id') ? fields.id : undefined);
    if ('reason' in id) return rejected(id, origin, text, rawPreviewChars);
    return id.id === undefined
      ? { kind: 'sample', x, y: label.y, weight: weight.weight, origin }
      : { kind: 'sample', x, y: label.y, weight: weight.weight, id: id.id, origin };
  };
}

function rejected(problem: Problem, origin: Origin, text: string | null, previewChars: number): Rejected {
  return text === null
    ? { kind: 'rejected', reason: problem.reason, message: problem.message, origin }
    : { kind: 'rejected', reason: problem.reason, message: problem.message, origin, raw: text.slice(0, previewChars) };
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
