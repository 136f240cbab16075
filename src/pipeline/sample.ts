/**
 * What decoding produces: a Sample ready for training, or a Rejected record that is dead-lettered and
 * counted. Both carry the record's origin, so offsets advance for rejects too (DESIGN.md §2).
 */
import type { Tensor } from '../math/tensor.js';
import type { Origin } from '../sources/types.js';

export interface Sample {
  readonly kind: 'sample';
  /** Features in schema order, in the model's dtype. */
  readonly x: Tensor;
  /**
   * A class index (binary: 0/1, or a probability in [0, 1] as a soft target), a regression value, or a
   * row of values (multi-output regression, or a class-probability target).
   */
  readonly y: number | Float64Array;
  /** Sample weight, >= 0; 1 when the record has none. */
  readonly weight: number;
  readonly id?: string;
  readonly origin: Origin;
  /** Set when the record holds several samples (binary format): this one's place in it. */
  readonly part?: SamplePart;
}

/**
 * A sample's place in a record of `count` samples (binary-format.ts). The record counts as done (its
 * offset may advance) only once all `count` parts are trained or dead-lettered; a record of one sample
 * has no part.
 */
export interface SamplePart {
  /** 0-based position in the record. */
  readonly index: number;
  readonly count: number;
}

/**
 * Stable reason codes: they name metrics series and dead letters, so they are never renamed.
 * In the order the JSON decoder checks them; the binary decoder's own codes come last.
 */
export const REJECT_REASONS = [
  /** No value (a Kafka tombstone) or only whitespace. */
  'empty',
  /** More bytes than maxRecordBytes; checked before anything is decoded. */
  'oversize',
  /** Bytes that are not UTF-8 (or a string with lone surrogates). */
  'invalid_utf8',
  /** Nesting deeper than maxDepth; checked on the text, before parsing. */
  'too_deep',
  /** Not parseable JSON (bare NaN / Infinity included: they are not JSON). */
  'not_json',
  /** A `__proto__`, `constructor` or `prototype` key anywhere in the record. */
  'prototype_key',
  /** The top-level value is not a JSON object. */
  'not_object',
  /** No `features`, or a named feature of the schema is absent. */
  'missing_features',
  /** A field of the wrong JSON type (a feature that is not a number, `features` that is not an array or object). */
  'bad_type',
  /** A feature array whose length is not the schema's feature count. */
  'wrong_feature_count',
  /** A feature name the schema does not declare (with unknownFeatures: 'reject'). */
  'unknown_feature',
  /** A number field (feature, label, weight) that is ±Infinity (e.g. 1e999) or a "NaN" / "Infinity" string. */
  'non_finite',
  /** No `label`, or `label: null`. */
  'missing_label',
  /** A class name not in the schema, or a class index out of range. */
  'unknown_class',
  /** A label of the wrong shape for the task (e.g. a string for regression, 0.5 for multiclass). */
  'bad_label',
  /** A weight that is not a number >= 0. */
  'bad_weight',
  // The binary format's structural checks (docs/binary-format.md); each rejects the whole record.
  /** The record does not start with the binary format's magic bytes `OLBS`. */
  'bad_magic',
  /** A format version this decoder does not read. */
  'unsupported_version',
  /** An unknown label type or flag bit in the header. */
  'bad_header',
  /** Fewer bytes than the header announces. */
  'truncated',
  /** More bytes than the header announces. */
  'trailing_bytes',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejected {
  readonly kind: 'rejected';
  readonly reason: RejectReason;
  /** Human-readable: names the field and the rule, e.g. `features.height: expected a finite number, got "tall"`. */
  readonly message: string;
  readonly origin: Origin;
  /** Set when one sample of a multi-sample record is refused alone (the others train). */
  readonly part?: SamplePart;
  /** The start of the record's text (lossy for invalid UTF-8), at most rawPreviewChars characters. */
  readonly raw?: string;
}

export type Decoded = Sample | Rejected;

export function isSample(decoded: Decoded): decoded is Sample {
  return decoded.kind === 'sample';
}

export function isRejected(decoded: Decoded): decoded is Rejected {
  return decoded.kind === 'rejected';
}
