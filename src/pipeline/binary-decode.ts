/**
 * The strict decoder of the binary record format (binary-format.ts, docs/binary-format.md): one record
 * in, its samples and rejects out through `emit`, in sample order. Pure, and nothing it meets escapes as
 * an exception.
 *
 * Two levels of refusal:
 * - a structurally bad record (size, magic, version, header, feature count, label layout, sample count,
 *   length) is one Rejected for the whole record: nothing in it can be trusted;
 * - a bad value (a non-finite feature, a label out of range, a bad weight) refuses that sample alone, as a
 *   Rejected carrying its `part` (index and count), while the record's other samples train.
 * Reason codes are the JSON decoder's where the meaning is the same (empty, oversize, wrong_feature_count,
 * non_finite, unknown_class, bad_label, bad_weight).
 */
import type { DType, Tensor } from '../math/tensor.js';
import type { Origin, SourceRecord } from '../sources/types.js';
import {
  BINARY_HEADER_BYTES,
  BINARY_MAGIC,
  BINARY_VERSION,
  DEFAULT_MAX_SAMPLES_PER_RECORD,
  FLAG_WEIGHTS,
  HEADER_OFFSETS,
  KNOWN_FLAGS,
  LABEL_TYPES,
  binaryRecordBytes,
} from './binary-format.js';
import { DEFAULT_MAX_WEIGHT, weightProblem } from './decode-fields.js';
import type { Problem } from './decode-fields.js';
import { resolveSchema } from './record-schema.js';
import type { RecordSchema, ResolvedSchema } from './record-schema.js';
import { RowSample } from './row-sample.js';
import type { Decoded, Rejected, SamplePart } from './sample.js';

export interface BinaryDecodeOptions {
  /** dtype of Sample.x: the model's. */
  readonly dtype?: DType;
  /** Largest record in bytes, checked before anything is read. */
  readonly maxRecordBytes?: number;
  /** Most samples in one record. */
  readonly maxSamplesPerRecord?: number;
  /** Length of Rejected.raw (the record's first bytes in hex) of a refused record, in characters. */
  readonly rawPreviewChars?: number;
  /** Largest sample weight accepted (more: bad_weight). */
  readonly maxWeight?: number;
  /**
   * Emit RowSamples (row-sample.ts: no typed-array view per sample) instead of Samples with their own x:
   * for a consumer that reads the rows by offset, the Learner. Default false.
   */
  readonly rowSamples?: boolean;
}

export type BinaryRecordDecoder = (record: SourceRecord, emit: (decoded: Decoded) => void) => void;

/**
 * How labels are read, settled once per record from its header and the schema's task: a uint32 class
 * index below the class count; a binary task's float32 (0 / 1 or a probability in between); regression's
 * `labelWidth` float32 values.
 */
type LabelRead = 'class_index' | 'binary_target' | 'values';

interface Layout {
  readonly count: number;
  readonly labelRead: LabelRead;
  readonly labelWidth: number;
  readonly weights: boolean;
}

const EMPTY = Buffer.alloc(0);

/** Validates the schema once (ConfigError if invalid) and returns the per-record decoding function. */
export function createBinaryRecordDecoder(schema: RecordSchema, options: BinaryDecodeOptions = {}): BinaryRecordDecoder {
  const resolved = resolveSchema(schema);
  const {
    dtype = 'float32',
    maxRecordBytes = Number.POSITIVE_INFINITY,
    maxSamplesPerRecord = DEFAULT_MAX_SAMPLES_PER_RECORD,
    rawPreviewChars = 512,
    maxWeight = DEFAULT_MAX_WEIGHT,
    rowSamples = false,
  } = options;
  const featureCount = resolved.featureCount;
  const classes = resolved.task === 'regression' ? 0 : resolved.task === 'binary' ? 2 : resolved.outputs;

  // Samples of a record of `count` share their part objects with every other record of that count
  // (SamplePart is immutable): one allocation fewer per sample, and producers send one count at a time.
  let parts: readonly SamplePart[] = [];
  const partsOf = (count: number): readonly SamplePart[] => {
    if (parts.length !== count) {
      const made: SamplePart[] = new Array<SamplePart>(count);
      for (let i = 0; i < count; i++) made[i] = { index: i, count };
      parts = made;
    }
    return parts;
  };
  // The constructor picked once, not per record.
  const Row = dtype === 'float64' ? Float64Array : Float32Array;

  return (record, emit) => {
    const { origin, value } = record;
    const bytes = value === null ? EMPTY : typeof value === 'string' ? Buffer.from(value) : value;
    const layout = readLayout(bytes, resolved, maxRecordBytes, maxSamplesPerRecord);
    if ('reason' in layout) {
      emit(recordRejected(layout, origin, bytes, rawPreviewChars));
      return;
    }
    const { count, labelWidth, weights } = layout;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const labelsAt = BINARY_HEADER_BYTES + 4 * count * featureCount;
    const weightsAt = labelsAt + 4 * count * labelWidth;
    // A record of one sample is acknowledged like a JSON record: no part to count.
    const recordParts = count === 1 ? null : partsOf(count);
    // One block for the record's rows; each sample a RowSample of its row, or a Sample whose x is a view
    // of it (one object, where a fresh small typed array is three: it, its buffer and its elements).
    // The block lives while any of its samples does (a few records' worth in the shuffle buffer).
    const rows = new Row(count * featureCount);
    for (let i = 0; i < count; i++) {
      const part = recordParts === null ? undefined : recordParts[i];
      const offset = i * featureCount;
      // Features, label, weight: the JSON decoder's order, so a sample bad twice gets the same reason.
      const featureProblem = readFeatures(view, BINARY_HEADER_BYTES + 4 * offset, featureCount, rows, offset);
      const y = featureProblem ?? readLabel(view, layout, labelsAt, i, classes);
      const weight = weights ? view.getFloat32(weightsAt + 4 * i, true) : 1;
      const problem = typeof y === 'number' || y instanceof Float64Array ? (weights ? weightProblem(weight, maxWeight) : null) : y;
      const label = y as number | Float64Array;
      if (problem !== null) emit(sampleRejected(problem, origin, i, count, part));
      else if (rowSamples) emit(new RowSample(rows, offset, featureCount, label, weight, origin, part));
      else {
        const x = count === 1 ? rows : new Row(rows.buffer, offset * Row.BYTES_PER_ELEMENT, featureCount);
        if (part === undefined) emit({ kind: 'sample', x, y: label, weight, origin });
        else emit({ kind: 'sample', x, y: label, weight, origin, part });
      }
    }
  };
}

/** The header's layout, or why the whole record is refused; checks run in the order of REJECT_REASONS. */
function readLayout(bytes: Buffer, schema: ResolvedSchema, maxRecordBytes: number, maxSamples: number): Layout | Problem {
  const length = bytes.length;
  if (length === 0) return { reason: 'empty', message: 'no value' };
  if (length > maxRecordBytes) return { reason: 'oversize', message: `${length} bytes exceed maxRecordBytes ${maxRecordBytes}` };
  for (let i = 0; i < BINARY_MAGIC.length && i < length; i++) {
    if (bytes[i] !== BINARY_MAGIC[i]) {
      return { reason: 'bad_magic', message: `expected the magic bytes "OLBS" (${hex(Buffer.from(BINARY_MAGIC), 4)}), got ${hex(bytes, 4)}` };
    }
  }
  if (length < BINARY_HEADER_BYTES) return { reason: 'truncated', message: `${length} bytes: shorter than the ${BINARY_HEADER_BYTES}-byte header` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, BINARY_HEADER_BYTES);
  const version = view.getUint16(HEADER_OFFSETS.version, true);
  if (version !== BINARY_VERSION) {
    return { reason: 'unsupported_version', message: `version ${version}: this decoder reads version ${BINARY_VERSION}` };
  }
  const labelType = view.getUint8(HEADER_OFFSETS.labelType);
  if (labelType !== LABEL_TYPES.float32 && labelType !== LABEL_TYPES.uint32) {
    return { reason: 'bad_header', message: `label type ${labelType} is unknown (${LABEL_TYPES.float32} = float32, ${LABEL_TYPES.uint32} = uint32)` };
  }
  const flags = view.getUint8(HEADER_OFFSETS.flags);
  if ((flags & ~KNOWN_FLAGS) !== 0) {
    return { reason: 'bad_header', message: `flags 0x${flags.toString(16)}: unknown bits set (version ${BINARY_VERSION} defines only 0x1, weights)` };
  }
  const featureCount = view.getUint32(HEADER_OFFSETS.featureCount, true);
  if (featureCount !== schema.featureCount) {
    return { reason: 'wrong_feature_count', message: `feature count ${featureCount}: the schema has ${schema.featureCount}` };
  }
  const labelWidth = view.getUint32(HEADER_OFFSETS.labelWidth, true);
  const labelRead = labelReadOf(schema, labelType, labelWidth);
  if (typeof labelRead === 'object') return labelRead;
  const count = view.getUint32(HEADER_OFFSETS.sampleCount, true);
  if (count === 0) return { reason: 'empty', message: 'sample count 0: a record holds at least one sample' };
  if (count > maxSamples) return { reason: 'oversize', message: `sample count ${count} exceeds maxSamplesPerRecord ${maxSamples}` };
  const weights = (flags & FLAG_WEIGHTS) !== 0;
  const expected = binaryRecordBytes(count, featureCount, labelWidth, weights);
  if (length < expected) return { reason: 'truncated', message: `${length} bytes, the header announces ${expected}` };
  if (length > expected) {
    return { reason: 'trailing_bytes', message: `${length} bytes, the header announces ${expected} (${length - expected} trailing)` };
  }
  return { count, labelRead, labelWidth, weights };
}

function labelReadOf(schema: ResolvedSchema, labelType: number, width: number): LabelRead | Problem {
  const type = labelType === LABEL_TYPES.uint32 ? 'uint32' : 'float32';
  switch (schema.task) {
    case 'multiclass':
      if (labelType === LABEL_TYPES.uint32 && width === 1) return 'class_index';
      return { reason: 'bad_label', message: `labels: ${type} x ${width}: multiclass labels are uint32 class indexes, width 1` };
    case 'binary':
      if (width !== 1) return { reason: 'bad_label', message: `labels: width ${width}: a binary label is one value` };
      return labelType === LABEL_TYPES.uint32 ? 'class_index' : 'binary_target';
    case 'regression':
      if (labelType === LABEL_TYPES.float32 && width === schema.outputs) return 'values';
      return { reason: 'bad_label', message: `labels: ${type} x ${width}: regression labels are float32, width ${schema.outputs} (schema outputs)` };
  }
}

function readLabel(view: DataView, layout: Layout, labelsAt: number, i: number, classes: number): number | Float64Array | Problem {
  switch (layout.labelRead) {
    case 'class_index':
      return classIndex(view.getUint32(labelsAt + 4 * i, true), classes);
    case 'binary_target':
      return binaryTarget(view.getFloat32(labelsAt + 4 * i, true));
    case 'values':
      return values(view, labelsAt + 4 * i * layout.labelWidth, layout.labelWidth);
  }
}

/** rows[at..at + n) = the n float32 at byte `offset`; the first non-finite value refuses the sample. */
function readFeatures(view: DataView, offset: number, n: number, rows: Tensor, at: number): Problem | null {
  for (let j = 0; j < n; j++) {
    const v = view.getFloat32(offset + 4 * j, true);
    if (!Number.isFinite(v)) return { reason: 'non_finite', message: `features[${j}]: ${v} is not finite` };
    rows[at + j] = v;
  }
  return null;
}

function classIndex(index: number, classes: number): number | Problem {
  if (index < classes) return index;
  return { reason: 'unknown_class', message: `label: class index ${index} is out of range [0, ${classes - 1}]` };
}

/** As the JSON decoder: 0 / 1 or a probability; an integer outside is a class that does not exist. */
function binaryTarget(v: number): number | Problem {
  if (!Number.isFinite(v)) return { reason: 'non_finite', message: `label: ${v} is not finite` };
  if (v >= 0 && v <= 1) return v;
  if (Number.isInteger(v)) return { reason: 'unknown_class', message: `label: class index ${v} is not 0 or 1` };
  return { reason: 'bad_label', message: `label: ${v} is not a class (0, 1) nor a probability in [0, 1]` };
}

function values(view: DataView, offset: number, width: number): number | Float64Array | Problem {
  const row = new Float64Array(width);
  for (let j = 0; j < width; j++) {
    const v = view.getFloat32(offset + 4 * j, true);
    if (!Number.isFinite(v)) return { reason: 'non_finite', message: `label[${j}]: ${v} is not finite` };
    row[j] = v;
  }
  return width === 1 ? row[0] : row;
}

function recordRejected(problem: Problem, origin: Origin, bytes: Buffer, previewChars: number): Rejected {
  // Three characters per byte ("4f "), the last without its space.
  const raw = hex(bytes, Math.floor((previewChars + 1) / 3));
  return { kind: 'rejected', reason: problem.reason, message: problem.message, origin, raw };
}

function sampleRejected(problem: Problem, origin: Origin, index: number, count: number, part: SamplePart | undefined): Rejected {
  const message = `sample ${index} of ${count}: ${problem.message}`;
  return part === undefined
    ? { kind: 'rejected', reason: problem.reason, message, origin }
    : { kind: 'rejected', reason: problem.reason, message, origin, part };
}

/** The first `maxBytes` bytes as lowercase hex pairs separated by spaces. */
function hex(bytes: Uint8Array, maxBytes: number): string {
  const shown = bytes.subarray(0, maxBytes);
  const pairs: string[] = [];
  for (let i = 0; i < shown.length; i++) pairs.push(shown[i].toString(16).padStart(2, '0'));
  return pairs.join(' ');
}
