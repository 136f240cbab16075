/**
 * The body of POST /predict to a feature matrix, with the training decoder's own checks and reason codes
 * (pipeline/safe-json.ts: size before parsing, UTF-8, depth before parsing, no prototype keys; then
 * pipeline/decode-fields.ts decodeFeatures: names, counts, finite numbers that fit the model's dtype):
 *
 *   {"features": {"height": 182.1, "weight": 81.0}}                  one record
 *   {"records": [{"features": [182.1, 81.0]}, {"features": ...}]}     a batch, answered in order
 *
 * A label, weight or id may be present (records copied from a stream) and is ignored.
 */
import { allocate } from '../math/tensor.js';
import type { DType, Tensor } from '../math/tensor.js';
import { decodeFeatures, hasOwn, preview } from '../pipeline/decode-fields.js';
import type { UnknownFeatures } from '../pipeline/decode-fields.js';
import type { ResolvedSchema } from '../pipeline/record-schema.js';
import { parseJsonRecord } from '../pipeline/safe-json.js';
import { HttpError } from './http.js';

export interface PredictRequest {
  /** Row-major [rows x features], raw (not yet standardized). */
  readonly x: Tensor;
  readonly rows: number;
  /** True for the `records` form: the answer is a list. */
  readonly batch: boolean;
}

export interface PredictDecodeOptions {
  readonly schema: ResolvedSchema;
  readonly dtype: DType;
  readonly unknownFeatures: UnknownFeatures;
  readonly maxBodyBytes: number;
  /** Nesting allowed inside one record; the `records` envelope adds two levels. */
  readonly maxDepth: number;
  readonly maxRows: number;
}

const ENVELOPE_DEPTH = 2;

/** Throws HttpError 400 with the decoder's reason code (413 for too many records). */
export function decodePredictRequest(body: Buffer, options: PredictDecodeOptions): PredictRequest {
  const parsed = parseJsonRecord(body, { maxRecordBytes: options.maxBodyBytes, maxDepth: options.maxDepth + ENVELOPE_DEPTH });
  if (!parsed.ok) throw new HttpError(parsed.reason === 'oversize' ? 413 : 400, parsed.reason, parsed.message);
  const value = parsed.value;
  if (!isObject(value)) throw new HttpError(400, 'not_object', `expected a JSON object with features or records, got ${preview(value)}`);
  if (hasOwn(value, 'records')) {
    if (hasOwn(value, 'features')) throw new HttpError(400, 'ambiguous_request', 'give either features (one record) or records (a batch), not both');
    const records = value.records;
    if (!Array.isArray(records)) throw new HttpError(400, 'bad_type', `records: expected an array of records, got ${preview(records)}`);
    if (records.length === 0) throw new HttpError(400, 'empty', 'records: the batch is empty');
    if (records.length > options.maxRows) {
      throw new HttpError(413, 'too_many_records', `records: ${records.length} records; the limit is ${options.maxRows} per request`);
    }
    return { x: decodeRows(records, options, 'records'), rows: records.length, batch: true };
  }
  return { x: decodeRows([value], options, null), rows: 1, batch: false };
}

function decodeRows(records: readonly unknown[], options: PredictDecodeOptions, path: string | null): Tensor {
  const n = options.schema.featureCount;
  const x = allocate(options.dtype, records.length * n);
  for (let r = 0; r < records.length; r++) {
    const where = path === null ? '' : `${path}[${r}]: `;
    const record = records[r];
    if (!isObject(record)) throw new HttpError(400, 'not_object', `${where}expected a JSON object, got ${preview(record)}`);
    if (!hasOwn(record, 'features')) throw new HttpError(400, 'missing_features', `${where}features is missing`);
    const problem = decodeFeatures(record.features, options.schema, options.unknownFeatures, x.subarray(r * n, (r + 1) * n));
    if (problem !== null) throw new HttpError(400, problem.reason, `${where}${problem.message}`);
  }
  return x;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
