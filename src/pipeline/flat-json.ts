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
  const parser = new Parser();
  // Which feature names the current record has given: stamped with the record's number, never cleared.
  const seenAt = new Float64Array(n);
  let record = 0;

  /** Parses the features value at the parser's position into x; false: give up. */
  const readFeatures = (x: Float32Array | Float64Array): boolean => {
    const b = parser.bytes;
    if (b[parser.pos] === OPEN_ARRAY) {
      parser.pos++;
      for (let i = 0; i < n; i++) {
        if (i > 0 && !parser.expect(COMMA)) return false;
        parser.skipWhitespace();
        const value = parser.number();
        if (Number.isNaN(value)) return false;
        x[i] = value;
        parser.skipWhitespace();
      }
      return parser.expect(CLOSE_ARRAY);
    }
    if (featureNames === null || b[parser.pos] !== OPEN_OBJECT) return false;
    parser.pos++;
    record++;
    for (let given = 0; given < n; given++) {
      if (given > 0 && !parser.expect(COMMA)) return false;
      parser.skipWhitespace();
      const keyStart = parser.string();
      if (keyStart < 0) return false;
      // Producers write the schema's order: try the next name first.
      let i = equalBytes(b, keyStart, parser.stringEnd, featureNames[given]) ? given : -1;
      for (let j = 0; i < 0 && j < n; j++) if (equalBytes(b, keyStart, parser.stringEnd, featureNames[j])) i = j;
      if (i < 0 || seenAt[i] === record) return false;
      parser.skipWhitespace();
      if (!parser.expect(COLON)) return false;
      seenAt[i] = record;
      parser.skipWhitespace();
      const value = parser.number();
      if (Number.isNaN(value)) return false;
      x[i] = value;
      parser.skipWhitespace();
    }
    // n distinct names were given: anything more is unknown, missing or repeated, the general decoder's call.
    return parser.expect(CLOSE_OBJECT);
  };

  return (bytes, origin) => {
    if (bytes.length > maxRecordBytes) return null;
    parser.reset(bytes);
    const b = bytes;
    parser.skipWhitespace();
    if (!parser.expect(OPEN_OBJECT)) return null;
    let seen = 0;
    let x: Float32Array | Float64Array | null = null;
    let y = 0;
    let weight = 1;
    let id: string | undefined;
    for (;;) {
      parser.skipWhitespace();
      const keyStart = parser.string();
      if (keyStart < 0) return null;
      const keyEnd = parser.stringEnd;
      parser.skipWhitespace();
      if (!parser.expect(COLON)) return null;
      parser.skipWhitespace();
      if (equalBytes(b, keyStart, keyEnd, KEY_FEATURES)) {
        if ((seen & SEEN_FEATURES) !== 0) return null;
        seen |= SEEN_FEATURES;
        x = allocate(dtype, n);
        if (!readFeatures(x)) return null;
      } else if (equalBytes(b, keyStart, keyEnd, KEY_LABEL)) {
        if ((seen & SEEN_LABEL) !== 0) return null;
        seen |= SEEN_LABEL;
        const c = b[parser.pos];
        if (c === QUOTE) {
          const start = parser.string();
          if (start < 0) return null;
          y = -1;
          for (let k = 0; k < classNames.length && y < 0; k++) {
            const name = classNames[k];
            if (name !== null && equalBytes(b, start, parser.stringEnd, name)) y = k;
          }
          if (y < 0) return null;
        } else {
          const value = parser.number();
          if (Number.isNaN(value)) return null;
          const label = decodeLabel(value, schema);
          if ('reason' in label || typeof label.y !== 'number') return null;
          y = label.y;
        }
      } else if (equalBytes(b, keyStart, keyEnd, KEY_WEIGHT)) {
        if ((seen & SEEN_WEIGHT) !== 0) return null;
        seen |= SEEN_WEIGHT;
        weight = parser.number();
        if (Number.isNaN(weight) || weightProblem(weight, maxWeight) !== null) return null;
      } else if (equalBytes(b, keyStart, keyEnd, KEY_ID)) {
        if ((seen & SEEN_ID) !== 0) return null;
        seen |= SEEN_ID;
        if (b[parser.pos] === QUOTE) {
          const start = parser.string();
          if (start < 0) return null;
          id = latin1(b, start, parser.stringEnd);
        } else {
          const value = parser.number();
          if (Number.isNaN(value)) return null;
          // As decodeId: a finite number becomes its JS string form.
          id = String(value);
        }
      } else {
        return null;
      }
      parser.skipWhitespace();
      if (parser.expect(CLOSE_OBJECT)) break;
      if (!parser.expect(COMMA)) return null;
    }
    parser.skipWhitespace();
    if (parser.pos !== b.length || x === null || (seen & SEEN_LABEL) === 0) return null;
    // The general decoder's shapes, property order included.
    return id === undefined ? { kind: 'sample', x, y, weight, origin } : { kind: 'sample', x, y, weight, id, origin };
  };
}

/** A cursor over one record's bytes. Methods that fail leave `pos` anywhere: the record is given up. */
class Parser {
  bytes: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** End (exclusive) of the last string's content. */
  stringEnd = 0;

  reset(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.pos = 0;
  }

  skipWhitespace(): void {
    const b = this.bytes;
    let p = this.pos;
    // JSON's four whitespace characters only: anything else is not JSON, or not this path's.
    for (let c = b[p]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = b[++p]);
    this.pos = p;
  }

  expect(byte: number): boolean {
    if (this.bytes[this.pos] !== byte) return false;
    this.pos++;
    return true;
  }

  /** A string of printable ASCII without escapes: returns where its content starts (-1: give up). */
  string(): number {
    const b = this.bytes;
    let p = this.pos;
    if (b[p] !== QUOTE) return -1;
    const start = ++p;
    for (;;) {
      const c = b[p];
      // undefined (past the end) fails both tests too.
      if (!(c >= 0x20 && c < 0x7f)) return -1;
      if (c === QUOTE) break;
      if (c === BACKSLASH) return -1;
      p++;
    }
    this.stringEnd = p;
    this.pos = p + 1;
    return start;
  }

  /**
   * A JSON number, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, as JSON.parse converts it; NaN: give up
   * (not a number there, or one outside Clinger's fast path).
   */
  number(): number {
    const b = this.bytes;
    let p = this.pos;
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
      return Number.NaN;
    }
    let exponent = 0;
    if (c === DOT) {
      c = b[++p];
      if (!(c >= DIGIT_0 && c <= DIGIT_9)) return Number.NaN;
      do {
        significand = significand * 10 + (c - DIGIT_0);
        exponent--;
        c = b[++p];
      } while (c >= DIGIT_0 && c <= DIGIT_9);
    }
    // Checked once: every step below 2^53 was exact, and a step past it ends above 2^53 - 1 however it rounds.
    if (significand > Number.MAX_SAFE_INTEGER) return Number.NaN;
    if (c === LOWER_E || c === UPPER_E) {
      c = b[++p];
      const negativeExponent = c === MINUS;
      if (negativeExponent || c === PLUS) c = b[++p];
      if (!(c >= DIGIT_0 && c <= DIGIT_9)) return Number.NaN;
      let e = 0;
      do {
        // Capped: a long exponent must not overflow the count; past the cap the path gives up anyway.
        if (e < 1000) e = e * 10 + (c - DIGIT_0);
        c = b[++p];
      } while (c >= DIGIT_0 && c <= DIGIT_9);
      exponent += negativeExponent ? -e : e;
    }
    if (exponent < -MAX_EXACT_POWER || exponent > MAX_EXACT_POWER) return Number.NaN;
    this.pos = p;
    const magnitude = exponent < 0 ? significand / POWERS_OF_TEN[-exponent] : significand * POWERS_OF_TEN[exponent];
    return negative ? -magnitude : magnitude;
  }
}

function equalBytes(b: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (b[start + i] !== expected[i]) return false;
  return true;
}

/** The ASCII bytes [start, end) as a string (exactly what JSON.parse gives for an escape-free ASCII string). */
function latin1(b: Uint8Array, start: number, end: number): string {
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
