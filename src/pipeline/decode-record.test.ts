import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import type { SourceRecord } from '../sources/types.js';
import { createRecordDecoder } from './decode-record.js';
import type { DecodeOptions } from './decode-record.js';
import type { RecordSchema } from './record-schema.js';
import { REJECT_REASONS } from './sample.js';
import type { Decoded, Rejected, RejectReason, Sample } from './sample.js';

const origin = { kind: 'memory', index: 7 } as const;
const record = (value: Buffer | string | null): SourceRecord => ({ value, origin });

const statsville: RecordSchema = { features: ['height', 'weight'], task: 'multiclass', classes: ['man', 'woman', 'child'] };
const positional: RecordSchema = { features: 2, task: 'regression' };

const seenReasons = new Set<RejectReason>();

function decode(schema: RecordSchema, value: Buffer | string | null, options?: DecodeOptions): Decoded {
  return createRecordDecoder(schema, options)(record(value));
}

function sample(schema: RecordSchema, value: Buffer | string | null, options?: DecodeOptions): Sample {
  const decoded = decode(schema, value, options);
  if (decoded.kind !== 'sample') throw new Error(`expected a sample, got ${decoded.reason}: ${decoded.message}`);
  return decoded;
}

function rejected(schema: RecordSchema, value: Buffer | string | null, reason: RejectReason, options?: DecodeOptions): Rejected {
  const decoded = decode(schema, value, options);
  expect(decoded.kind, JSON.stringify(decoded)).toBe('rejected');
  const r = decoded as Rejected;
  expect(r.reason, r.message).toBe(reason);
  expect(r.origin).toEqual(origin);
  seenReasons.add(r.reason);
  return r;
}

describe('createRecordDecoder: samples', () => {
  it('reads named features in schema order whatever the key order, into float32 by default', () => {
    const s = sample(statsville, '{"features": {"weight": 81.5, "height": 182.25}, "label": "woman"}');
    expect(s.x).toBeInstanceOf(Float32Array);
    expect([...s.x]).toEqual([182.25, 81.5]);
    expect(s.y).toBe(1);
    expect(s.weight).toBe(1);
    expect(s.id).toBeUndefined();
    expect(s.origin).toEqual(origin);
  });

  it('reads features by position even when the schema names them, with weight, id and a float64 dtype', () => {
    const s = sample(statsville, Buffer.from('{"features": [0.1, 81], "label": 2, "weight": 2.5, "id": "s-17"}'), { dtype: 'float64' });
    expect(s.x).toBeInstanceOf(Float64Array);
    expect([...s.x]).toEqual([0.1, 81]);
    expect(s.y).toBe(2);
    expect(s.weight).toBe(2.5);
    expect(s.id).toBe('s-17');
  });

  it('turns a numeric id into a string and ignores unknown top-level keys', () => {
    const s = sample(positional, '{"features": [1, 2], "label": 12.5, "id": 17, "ts": "2024-01-01"}');
    expect(s.id).toBe('17');
    expect(s.y).toBe(12.5);
  });

  it('reads a multi-output regression label as a Float64Array row', () => {
    const s = sample({ features: 1, task: 'regression', outputs: 2 }, '{"features": [3], "label": [1.5, -2]}');
    expect(s.y).toEqual(new Float64Array([1.5, -2]));
  });

  it('reads binary labels from booleans, 0 / 1, class names and soft probabilities', () => {
    const binary: RecordSchema = { features: 1, task: 'binary', classes: ['ham', 'spam'] };
    expect(sample(binary, '{"features": [0], "label": true}').y).toBe(1);
    expect(sample(binary, '{"features": [0], "label": 0}').y).toBe(0);
    expect(sample(binary, '{"features": [0], "label": "spam"}').y).toBe(1);
    expect(sample(binary, '{"features": [0], "label": 0.25}').y).toBe(0.25);
  });

  it('reads a multiclass probability row whose float sum is 1 only to rounding', () => {
    // 0.1 + 0.2 + 0.7 = 0.9999999999999999 in float64.
    const s = sample(statsville, '{"features": [1, 2], "label": [0.1, 0.2, 0.7]}');
    expect(s.y).toEqual(new Float64Array([0.1, 0.2, 0.7]));
  });

  it('drops unknown feature names with unknownFeatures: ignore', () => {
    const s = sample(statsville, '{"features": {"height": 1, "weight": 2, "age": 3}, "label": 0}', { unknownFeatures: 'ignore' });
    expect([...s.x]).toEqual([1, 2]);
  });

  it('does not pollute Object.prototype and does not read inherited names', () => {
    const schema: RecordSchema = { features: ['toString', 'valueOf'], task: 'regression' };
    rejected(schema, '{"features": {}, "label": 1}', 'missing_features');
    rejected(statsville, '{"features": {"height": 1, "weight": 2}, "label": 0, "x": {"__proto__": {"polluted": true}}}', 'prototype_key');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('createRecordDecoder: every reject reason', () => {
  it('empty: a null value (tombstone) or blank text', () => {
    expect(rejected(statsville, null, 'empty').raw).toBeUndefined();
    rejected(statsville, '  \t', 'empty');
  });

  it('oversize: a 2 MB value is refused by size before parsing, as bytes or as a string', () => {
    const big = `{"features": [1, 2], "label": 0, "pad": "${'x'.repeat(2 * 1024 * 1024)}"}`;
    const r = rejected(statsville, Buffer.from(big), 'oversize');
    expect(r.message).toContain('exceeds maxRecordBytes 1048576');
    expect(r.raw).toHaveLength(512);
    rejected(statsville, big, 'oversize');
    // Not JSON, but too large comes first: nothing is decoded.
    rejected(statsville, Buffer.alloc(2 * 1024 * 1024, 0xff), 'oversize');
  });

  it('oversize: counts UTF-8 bytes, not characters, against maxRecordBytes', () => {
    const text = '{"features": [1, 2], "label": "é"}'; // 34 characters, 35 bytes
    rejected(statsville, text, 'oversize', { maxRecordBytes: 34 });
    expect(decode(statsville, text, { maxRecordBytes: 35 }).kind).toBe('rejected'); // é is not a class...
    expect((decode(statsville, text, { maxRecordBytes: 35 }) as Rejected).reason).toBe('unknown_class'); // ...but not oversize
  });

  it('invalid_utf8: stray bytes, an overlong encoding and a lone surrogate', () => {
    const r = rejected(statsville, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'invalid_utf8');
    expect(r.raw).toContain('\ufffd');
    rejected(statsville, Buffer.from([0x22, 0xc0, 0xaf, 0x22]), 'invalid_utf8'); // overlong '/'
    rejected(statsville, '{"features": [1, 2], "label": "\ud800"}', 'invalid_utf8');
  });

  it('too_deep: refuses deep nesting from the text, even 500k levels, without a stack overflow', () => {
    rejected(statsville, '['.repeat(500_000), 'too_deep');
    rejected(statsville, '{"features": [1, 2], "label": 0, "m": [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}', 'too_deep');
    // Brackets inside strings do not count.
    expect(sample(statsville, `{"features": [1, 2], "label": 0, "note": "${'['.repeat(100)}"}`).y).toBe(0);
  });

  it('not_json: broken text, and a hint for the bare NaN / Infinity that Python writes', () => {
    rejected(statsville, '{"features": [1, 2], "label": 0', 'not_json');
    const r = rejected(statsville, '{"features": [NaN, 2], "label": 0}', 'not_json');
    expect(r.message).toContain('bare NaN / Infinity is not JSON');
    rejected(positional, '{"features": [1, 2], "label": -Infinity}', 'not_json');
  });

  it('prototype_key: __proto__, constructor and prototype anywhere, escaped or not', () => {
    rejected(statsville, '{"__proto__": {}, "features": [1, 2], "label": 0}', 'prototype_key');
    const deep = rejected(statsville, '{"features": [1, 2], "label": 0, "meta": {"a": [{"b": {"constructor": 1}}]}}', 'prototype_key');
    expect(deep.message).toBe("the key 'constructor' at meta.a[0].b is not allowed");
    rejected(statsville, '{"features": {"height": 1, "weight": 2, "prototype": 3}, "label": 0}', 'prototype_key');
    rejected(statsville, '{"features": {"height": 1, "weight": 2, "\\u005f_proto__": 3}, "label": 0}', 'prototype_key');
  });

  it('not_object: arrays, numbers, strings and null at the top', () => {
    for (const text of ['[1, 2]', '42', '"s"', 'null']) rejected(statsville, text, 'not_object');
  });

  it('missing_features: no features key, or a named feature absent (naming an unknown one as a hint)', () => {
    rejected(statsville, '{"label": 0}', 'missing_features');
    const r = rejected(statsville, '{"features": {"height": 1, "wieght": 2}, "label": 0}', 'missing_features');
    expect(r.message).toBe('features.weight is missing (the record has unknown "wieght")');
  });

  it('bad_type: non-numeric features, features of the wrong kind, an id that is not a string or number', () => {
    expect(rejected(statsville, '{"features": {"height": "tall", "weight": 2}, "label": 0}', 'bad_type').message).toBe(
      'features.height: expected a finite number, got "tall"',
    );
    rejected(statsville, '{"features": [1, null], "label": 0}', 'bad_type');
    rejected(statsville, '{"features": 42, "label": 0}', 'bad_type');
    rejected(positional, '{"features": {"a": 1, "b": 2}, "label": 0}', 'bad_type');
    rejected(positional, '{"features": [1, 2], "label": 0, "id": {"k": 1}}', 'bad_type');
  });

  it('wrong_feature_count: an array of the wrong length', () => {
    expect(rejected(positional, '{"features": [1, 2, 3], "label": 0}', 'wrong_feature_count').message).toBe(
      'features: expected 2 values, got 3',
    );
  });

  it('unknown_feature: an undeclared name with unknownFeatures: reject (the default)', () => {
    const r = rejected(statsville, '{"features": {"height": 1, "weight": 2, "age": 30}, "label": 0}', 'unknown_feature');
    expect(r.message).toBe('features: "age" not in the schema');
  });

  it('non_finite: 1e999 (Infinity), NaN / Infinity strings, float32 overflow, in features, labels and weights', () => {
    expect(rejected(positional, '{"features": [1e999, 2], "label": 0}', 'non_finite').message).toBe('features[0]: Infinity is not finite');
    rejected(positional, '{"features": ["NaN", 2], "label": 0}', 'non_finite');
    rejected(positional, '{"features": [1, 2], "label": "-Infinity"}', 'non_finite');
    rejected(positional, '{"features": [1, 2], "label": -1e999}', 'non_finite');
    rejected(statsville, '{"features": [1, 2], "label": [1e999, 0, 0]}', 'non_finite');
    rejected(positional, '{"features": [1, 2], "label": 0, "weight": 1e999}', 'non_finite');
    // 1e300 is a finite double but no float32.
    expect(rejected(positional, '{"features": [1e300, 2], "label": 0}', 'non_finite').message).toBe('features[0]: 1e+300 overflows float32');
    expect(sample(positional, '{"features": [1e300, 2], "label": 0}', { dtype: 'float64' }).x[0]).toBe(1e300);
  });

  it('missing_label: absent or null', () => {
    rejected(statsville, '{"features": [1, 2]}', 'missing_label');
    rejected(statsville, '{"features": [1, 2], "label": null}', 'missing_label');
  });

  it('unknown_class: an unknown name, an index out of range', () => {
    expect(rejected(statsville, '{"features": [1, 2], "label": "alien"}', 'unknown_class').message).toBe(
      'label: "alien" is not a known class (classes: man, woman, child)',
    );
    rejected(statsville, '{"features": [1, 2], "label": 3}', 'unknown_class');
    rejected(statsville, '{"features": [1, 2], "label": -1}', 'unknown_class');
    rejected({ features: 1, task: 'binary' }, '{"features": [1], "label": 2}', 'unknown_class');
    rejected({ features: 1, task: 'multiclass', outputs: 3 }, '{"features": [1], "label": "man"}', 'unknown_class');
  });

  it('bad_label: the wrong shape or type of label for the task', () => {
    rejected(statsville, '{"features": [1, 2], "label": 0.5}', 'bad_label');
    rejected(statsville, '{"features": [1, 2], "label": true}', 'bad_label');
    rejected(statsville, '{"features": [1, 2], "label": [0.5, 0.4, 0.05]}', 'bad_label');
    rejected(statsville, '{"features": [1, 2], "label": [0.5, 0.5]}', 'bad_label');
    rejected(statsville, '{"features": [1, 2], "label": [1.5, -0.5, 0]}', 'bad_label');
    rejected(positional, '{"features": [1, 2], "label": "12.5"}', 'bad_label');
    rejected(positional, '{"features": [1, 2], "label": [1, 2]}', 'bad_label');
    rejected({ features: 1, task: 'regression', outputs: 2 }, '{"features": [1], "label": 3}', 'bad_label');
    rejected({ features: 1, task: 'binary' }, '{"features": [1], "label": 1.5}', 'bad_label');
    rejected({ features: 1, task: 'binary' }, '{"features": [1], "label": {"c": 1}}', 'bad_label');
  });

  it('bad_weight: negative or not a number', () => {
    expect(rejected(positional, '{"features": [1, 2], "label": 0, "weight": -1}', 'bad_weight').message).toBe(
      'weight: -1 is invalid: must be >= 0',
    );
    rejected(positional, '{"features": [1, 2], "label": 0, "weight": "heavy"}', 'bad_weight');
  });

  it('bad_weight: heavier than maxWeight (default 1e6), which a finite 1e39 is', () => {
    expect(rejected(positional, '{"features": [1, 2], "label": 0, "weight": 1e39}', 'bad_weight').message).toBe(
      'weight: 1e+39 is invalid: must be at most 1000000 (schema.maxWeight)',
    );
    rejected(positional, '{"features": [1, 2], "label": 0, "weight": 11}', 'bad_weight', { maxWeight: 10 });
    const kept = createRecordDecoder(positional, { maxWeight: 10 })({ value: '{"features": [1, 2], "label": 0, "weight": 10}', origin: { kind: 'memory', index: 0 } });
    expect(kept).toMatchObject({ kind: 'sample', weight: 10 });
  });

  it('keeps rawPreviewChars characters of the text', () => {
    expect(rejected(statsville, '{"features": [1, 2]}', 'missing_label', { rawPreviewChars: 10 }).raw).toBe('{"features');
  });

  afterAll(() => {
    // Every reason code of JSON records has a case above (the binary format's own are in binary-decode.test.ts).
    const binaryOnly: readonly string[] = ['bad_magic', 'unsupported_version', 'bad_header', 'truncated', 'trailing_bytes'];
    expect([...seenReasons].sort()).toEqual(REJECT_REASONS.filter((r) => !binaryOnly.includes(r)).sort());
  });
});

describe('createRecordDecoder: robustness', () => {
  it('never throws, whatever the bytes or however a valid record is mangled', () => {
    const decodeOne = createRecordDecoder(statsville);
    const rng = new Rng(42);
    const valid = Buffer.from('{"features": {"height": 182.1, "weight": 81.0}, "label": "man", "weight": 2}');
    const outcomes = new Set<string>();
    let decoded = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(valid);
      if (i % 3 === 0) {
        for (let k = 0; k < bytes.length; k++) bytes[k] = rng.int(256);
      } else {
        for (let k = 0; k < 1 + rng.int(4); k++) bytes[rng.int(bytes.length)] = rng.int(256);
      }
      const result = decodeOne(record(bytes.subarray(0, rng.int(bytes.length + 1))));
      outcomes.add(result.kind === 'sample' ? 'sample' : result.reason);
      decoded++;
    }
    expect(decoded).toBe(3000);
    // The mangling reaches several checks, not just the first one.
    expect(outcomes.size).toBeGreaterThanOrEqual(4);
  });

  it('refuses an invalid schema when the decoder is created', () => {
    expect(() => createRecordDecoder({ features: ['a', 'a'], task: 'regression' })).toThrow(
      "schema.features[1]: 'a' is a duplicate: names must be unique",
    );
  });
});
