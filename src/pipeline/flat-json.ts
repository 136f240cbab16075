/**
 * A fast path for the common JSON record, read straight from its bytes (no UTF-8 decoding, no
 * JSON.parse, no objects but the sample):
 *
 *   {"features": {"height_cm": 158.1, "weight_kg": 57.2}, "label": "woman", "id": "sv-0"}
 *
 * It only ever answers a Sample the general decoder (decode-record.ts) would answer identically, and
 * otherwise gives up (null) and lets the general decoder judge the record, so strictness and reject
 * reasons stay the general decoder's. It gives up on anything but: one object of the keys features /
 * label / weight / id, each at most once; features an object of exactly the schema's names (any order,
 * each once) or an array of featureCount numbers; a label that is a known class name or a number the
 * schema accepts; a weight within [0, maxWeight]; an id string or number; strings of printable ASCII
 * without escapes; JSON whitespace; nothing after the object. Such a record is ASCII (valid UTF-8, no
 * BOM), has depth 2 and no prototype key (record-schema.ts forbids those as feature names).
 *
 * Numbers follow JSON's grammar exactly and are converted with Clinger's fast path (W. D. Clinger, "How
 * to read floating point numbers accurately", PLDI 1990): a decimal significand m < 2^53 and a power
 * of ten 10^k with |k| <= 22 are both exact doubles, so m * 10^k or m / 10^k is one correctly rounded
 * operation, i.e. the double JSON.parse returns. Any other number (more than 15-16 significant digits,
 * a larger exponent) gives up. The largest value this path makes, (2^53 - 1) * 10^22 ~ 9e37, fits a
 * float32, so storing it never overflows.
 */
import { allocate } from '../math/tensor.js';
import type { DType } from '../math/tensor.js';
import type { Origin } from '../sources/types.js';
import { decodeLabel, weightProblem } from './decode-fields.js';
import type { ResolvedSchema } from './record-schema.js';
import type { Sample } from './sample.js';

export interface FlatJsonOptions {
  readonly dtype: DType;
  readonly maxRecordBytes: number;
  readonly maxDepth: number;
  readonly maxWeight: number;
}

/** A Sample, or null: the general decoder must judge this record. */
export type FlatJsonDecoder = (bytes: Uint8Array, origin: Origin) => Sample | null;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

const KEY_FEATURES = bytesOf('features');
const KEY_LABEL = bytesOf('label');
const KEY_WEIGHT = bytesOf('weight');
const KEY_ID = bytesOf('id');

const SEEN_FEATURES = 1;
const SEEN_LABEL = 2;
const SEEN_WEIGHT = 4;
const SEEN_ID = 8;

/** Exact powers of ten: 10^22 is the largest a double holds exactly. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const MAX_EXACT_POWER = 22;

/** Null when no record can take the fast path (maxDepth below the flat depth 2, a name needing escapes). */
export function createFlatJsonDecoder(schema: ResolvedSchema, options: FlatJsonOptions): FlatJsonDecoder | null {
  if (options.maxDepth < 2) return null;
  const names = schema.featureNames === null ? null : schema.featureNames.map(plainAsciiBytes);
  if (names !== null && names.some((name) => name === null)) return null;
  const featureNames = names as Uint8Array[] | null;
  // A class name that is not plain ASCII never matches: such labels go to the general decoder.
  const classNames = schema.task === 'regression' || schema.classNames === null ? [] : schema.classNames.map(plainAsciiBytes);
  const { dtype, maxRecordBytes, maxWeight } = options;
  const n = schema.featureCount;
  // Which feature names the current record has given: stamped with the record's number, never cleared.
  const seenAt = new Float64Array(n);
  let record = 0;

  /** The features value at p into x; returns the position after it, -1: give up. */
  const readFeatures = (b: Uint8Array, start: number, x: Float32Array | Float64Array): number => {
    let p = start;
    if (b[p] === OPEN_ARRAY) {
      p++;
      for (let i = 0; i < n; i++) {
        if (i > 0) {
          if (b[p] !== COMMA) return -1;
          p++;
        }
        p = readNumber(b, skipWhitespace(b, p));
        if (p < 0) return -1;
        x[i] = parsedNumber;
        p = skipWhitespace(b, p);
      }
      return b[p] === CLOSE_ARRAY ? p + 1 : -1;
    }
    if (featureNames === null || b[p] !== OPEN_OBJECT) return -1;
    p++;
    record++;
    for (let given = 0; given < n; given++) {
      if (given > 0) {
        if (b[p] !== COMMA) return -1;
        p++;
      }
      const keyStart = skipWhitespace(b, p) + 1;
      const keyEnd = stringEnd(b, keyStart - 1);
      if (keyEnd < 0) return -1;
      // Producers write the schema's order: try the next name first.
      let i = equalBytes(b, keyStart, keyEnd, featureNames[given]) ? given : -1;
      for (let j = 0; i < 0 && j < n; j++) if (equalBytes(b, keyStart, keyEnd, featureNames[j])) i = j;
      if (i < 0 || seenAt[i] === record) return -1;
      seenAt[i] = record;
      p = skipWhitespace(b, keyEnd + 1);
      if (b[p] !== COLON) return -1;
      p = readNumber(b, skipWhitespace(b, p + 1));
      if (p < 0) return -1;
      x[i] = parsedNumber;
      p = skipWhitespace(b, p);
    }
    // n distinct names were given: anything more is unknown, missing or repeated, the general decoder's call.
    return b[p] === CLOSE_OBJECT ? p + 1 : -1;
  };

  return (b, origin) => {
    if (b.length > maxRecordBytes) return null;
    let p = skipWhitespace(b, 0);
    if (b[p] !== OPEN_OBJECT) return null;
    p++;
    let seen = 0;
    let x: Float32Array | Float64Array | null = null;
    let y = 0;
    let weight = 1;
    let id: string | undefined;
    for (;;) {
      const keyStart = skipWhitespace(b, p) + 1;
      const keyEnd = stringEnd(b, keyStart - 1);
      if (keyEnd < 0) return null;
      p = skipWhitespace(b, keyEnd + 1);
      if (b[p] !== COLON) return null;
      p = skipWhitespace(b, p + 1);
      const key = keyOf(b, keyStart, keyEnd);
      if (key === 0 || (seen & key) !== 0) return null;
      seen |= key;
      if (key === SEEN_FEATURES) {
        x = allocate(dtype, n);
        p = readFeatures(b, p, x);
      } else if (key === SEEN_LABEL) {
        if (b[p] === QUOTE) {
          const end = stringEnd(b, p);
          if (end < 0) return null;
          y = -1;
          for (let k = 0; k < classNames.length && y < 0; k++) {
            const name = classNames[k];
            if (name !== null && equalBytes(b, p + 1, end, name)) y = k;
          }
          if (y < 0) return null;
          p = end + 1;
        } else {
          p = readNumber(b, p);
          if (p < 0) return null;
          const label = decodeLabel(parsedNumber, schema);
          if ('reason' in label || typeof label.y !== 'number') return null;
          y = label.y;
        }
      } else if (key === SEEN_WEIGHT) {
        p = readNumber(b, p);
        weight = parsedNumber;
        if (p < 0 || weightProblem(weight, maxWeight) !== null) return null;
      } else if (b[p] === QUOTE) {
        const end = stringEnd(b, p);
        if (end < 0) return null;
        id = latin1(b, p + 1, end);
        p = end + 1;
      } else {
        p = readNumber(b, p);
        // As decodeId: a finite number becomes its JS string form.
        id = String(parsedNumber);
      }
      if (p < 0) return null;
      p = skipWhitespace(b, p);
      if (b[p] === CLOSE_OBJECT) break;
      if (b[p] !== COMMA) return null;
      p++;
    }
    if (skipWhitespace(b, p + 1) !== b.length || x === null || (seen & SEEN_LABEL) === 0) return null;
    // The general decoder's shapes, property order included.
    return id === undefined ? { kind: 'sample', x, y, weight, origin } : { kind: 'sample', x, y, weight, id, origin };
  };
}

/** Which of the four keys [start, end) is, as its SEEN_ bit; 0 for any other. */
function keyOf(b: Uint8Array, start: number, end: number): number {
  if (equalBytes(b, start, end, KEY_FEATURES)) return SEEN_FEATURES;
  if (equalBytes(b, start, end, KEY_LABEL)) return SEEN_LABEL;
  if (equalBytes(b, start, end, KEY_WEIGHT)) return SEEN_WEIGHT;
  if (equalBytes(b, start, end, KEY_ID)) return SEEN_ID;
  return 0;
}

/** Past JSON's four whitespace characters (only those: anything else is not JSON, or not this path's). */
function skipWhitespace(b: Uint8Array, start: number): number {
  let p = start;
  for (let c = b[p]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = b[++p]);
  return p;
}

/**
 * For a string opening at p: the position of its closing quote when it is printable ASCII without
 * escapes, else -1 (give up; also when p holds no quote).
 */
function stringEnd(b: Uint8Array, start: number): number {
  if (b[start] !== QUOTE) return -1;
  for (let p = start + 1; ; p++) {
    const c = b[p];
    // undefined (past the end) fails this test too.
    if (!(c >= 0x20 && c < 0x7f) || c === BACKSLASH) return -1;
    if (c === QUOTE) return p;
  }
}

/** readNumber's value: a module variable, so that the position can be the return value. */
let parsedNumber = 0;

/**
 * A JSON number at p, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, converted as JSON.parse does into
 * parsedNumber; returns the position after it, or -1 to give up (no number there, or one outside
 * Clinger's fast path).
 */
function readNumber(b: Uint8Array, start: number): number {
  let p = start;
  const negative = b[p] === MINUS;
  if (negative) p++;
  let significand = 0;
  let c = b[p];
  if (c === DIGIT_0) {
    c = b[++p];
  } else if (c > DIGIT_0 && c <= DIGIT_9) {
    do {
      significand = significand * 10 + (c - DIGIT_0);
      c = b[++p];
    } while (c >= DIGIT_0 && c <= DIGIT_9);
  } else {
    return -1;
  }
  let exponent = 0;
  if (c === DOT) {
    c = b[++p];
    if (!(c >= DIGIT_0 && c <= DIGIT_9)) return -1;
    do {
      significand = significand * 10 + (c - DIGIT_0);
      exponent--;
      c = b[++p];
    } while (c >= DIGIT_0 && c <= DIGIT_9);
  }
  // Checked once: every step below 2^53 was exact, and a step past it ends above 2^53 - 1 however it rounds.
  if (significand > Number.MAX_SAFE_INTEGER) return -1;
  if (c === LOWER_E || c === UPPER_E) {
    c = b[++p];
    const negativeExponent = c === MINUS;
    if (negativeExponent || c === PLUS) c = b[++p];
    if (!(c >= DIGIT_0 && c <= DIGIT_9)) return -1;
    let e = 0;
    do {
      // Capped: a long exponent must not overflow the count; past the cap the path gives up anyway.
      if (e < 1000) e = e * 10 + (c - DIGIT_0);
      c = b[++p];
    } while (c >= DIGIT_0 && c <= DIGIT_9);
    exponent += negativeExponent ? -e : e;
  }
  if (exponent < -MAX_EXACT_POWER || exponent > MAX_EXACT_POWER) return -1;
  const magnitude = exponent < 0 ? significand / POWERS_OF_TEN[-exponent] : significand * POWERS_OF_TEN[exponent];
  parsedNumber = negative ? -magnitude : magnitude;
  return p;
}

function equalBytes(b: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (b[start + i] !== expected[i]) return false;
  return true;
}

/** Ids up to this long are built char by char: faster than a Buffer decode for short strings. */
const SHORT_STRING = 24;

/** The ASCII bytes [start, end) as a string (exactly what JSON.parse gives for an escape-free ASCII string). */
function latin1(b: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_STRING) {
    let text = '';
    for (let i = start; i < end; i++) text += String.fromCharCode(b[i]);
    return text;
  }
  const buffer = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return buffer.toString('latin1', start, end);
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

/** The name's bytes when it is printable ASCII without a quote or backslash (so it is written as is), else null. */
function plainAsciiBytes(name: string): Uint8Array | null {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === QUOTE || c === BACKSLASH) return null;
  }
  return bytesOf(name);
}
