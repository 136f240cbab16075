/**
 * The compact binary record format (docs/binary-format.md): many samples per Kafka message, for
 * producers that outrun JSON parsing. Version 1, all numbers little-endian:
 *
 *   offset  size  field
 *        0     4  magic, ASCII "OLBS"
 *        4     2  version, uint16 = 1
 *        6     1  label type, uint8: 1 = float32, 2 = uint32 (class index)
 *        7     1  flags, uint8: bit 0 = weights present; the other bits are 0
 *        8     4  feature count F, uint32
 *       12     4  label width W (values per label), uint32
 *       16     4  sample count N, uint32
 *       20        features, float32 [N x F], row-major
 *                 labels, float32 or uint32 [N x W]
 *                 weights, float32 [N] (only with flag bit 0)
 *
 * so a record is exactly 20 + 4 * N * (F + W + (weights ? 1 : 0)) bytes. This file holds the layout
 * and the encoder (tests, tools, the bench); binary-decode.ts is the strict decoder.
 */
import { ShapeError } from '../errors.js';

/** "OLBS": Online-Learner Binary Samples. */
export const BINARY_MAGIC: readonly number[] = [0x4f, 0x4c, 0x42, 0x53];
export const BINARY_VERSION = 1;
export const BINARY_HEADER_BYTES = 20;

export const HEADER_OFFSETS = {
  version: 4,
  labelType: 6,
  flags: 7,
  featureCount: 8,
  labelWidth: 12,
  sampleCount: 16,
} as const;

export const LABEL_TYPES = { float32: 1, uint32: 2 } as const;
export type BinaryLabelType = keyof typeof LABEL_TYPES;

export const FLAG_WEIGHTS = 0b1;
/** Every flag bit version 1 defines; any other bit set is refused (bad_header) rather than ignored. */
export const KNOWN_FLAGS = FLAG_WEIGHTS;

/** Samples in one record above which it is refused as oversize (besides maxRecordBytes). */
export const DEFAULT_MAX_SAMPLES_PER_RECORD = 65_536;

export interface BinarySamples {
  /** Row-major [N x featureCount]. */
  readonly features: ArrayLike<number>;
  readonly featureCount: number;
  /** Row-major [N x labelWidth]: a Uint32Array is written as class indexes, anything else as float32. */
  readonly labels: ArrayLike<number>;
  readonly labelWidth?: number;
  /** One per sample; omitted: no weights section (every weight is 1). */
  readonly weights?: ArrayLike<number>;
}

/** The byte length of a record of `samples` samples with this layout. */
export function binaryRecordBytes(samples: number, featureCount: number, labelWidth: number, weights: boolean): number {
  return BINARY_HEADER_BYTES + 4 * samples * (featureCount + labelWidth + (weights ? 1 : 0));
}

/**
 * One record holding every sample. Values are written as given, NaN and out-of-range labels included
 * (tests encode hostile records with it); only shapes that cannot be written are refused (ShapeError).
 */
export function encodeBinarySamples(samples: BinarySamples): Buffer {
  const { features, featureCount, labels, labelWidth = 1, weights } = samples;
  if (!Number.isInteger(featureCount) || featureCount < 1) throw new ShapeError(`featureCount: ${featureCount} is invalid: must be an integer >= 1`);
  if (!Number.isInteger(labelWidth) || labelWidth < 1) throw new ShapeError(`labelWidth: ${labelWidth} is invalid: must be an integer >= 1`);
  const n = features.length / featureCount;
  if (!Number.isInteger(n)) throw new ShapeError(`features: ${features.length} values are not rows of ${featureCount}`);
  if (labels.length !== n * labelWidth) throw new ShapeError(`labels: expected ${n * labelWidth} values (${n} x ${labelWidth}), got ${labels.length}`);
  if (weights !== undefined && weights.length !== n) throw new ShapeError(`weights: expected ${n} values, got ${weights.length}`);
  const uint32Labels = labels instanceof Uint32Array;

  const bytes = Buffer.alloc(binaryRecordBytes(n, featureCount, labelWidth, weights !== undefined));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < BINARY_MAGIC.length; i++) bytes[i] = BINARY_MAGIC[i];
  view.setUint16(HEADER_OFFSETS.version, BINARY_VERSION, true);
  view.setUint8(HEADER_OFFSETS.labelType, uint32Labels ? LABEL_TYPES.uint32 : LABEL_TYPES.float32);
  view.setUint8(HEADER_OFFSETS.flags, weights === undefined ? 0 : FLAG_WEIGHTS);
  view.setUint32(HEADER_OFFSETS.featureCount, featureCount, true);
  view.setUint32(HEADER_OFFSETS.labelWidth, labelWidth, true);
  view.setUint32(HEADER_OFFSETS.sampleCount, n, true);

  let offset = BINARY_HEADER_BYTES;
  for (let i = 0; i < features.length; i++, offset += 4) view.setFloat32(offset, features[i], true);
  for (let i = 0; i < labels.length; i++, offset += 4) {
    if (uint32Labels) view.setUint32(offset, labels[i], true);
    else view.setFloat32(offset, labels[i], true);
  }
  if (weights !== undefined) {
    for (let i = 0; i < weights.length; i++, offset += 4) view.setFloat32(offset, weights[i], true);
  }
  return bytes;
}
