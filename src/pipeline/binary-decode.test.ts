import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import type { SourceRecord } from '../sources/types.js';
import { createBinaryRecordDecoder } from './binary-decode.js';
import type { BinaryDecodeOptions } from './binary-decode.js';
import { encodeBinarySamples } from './binary-format.js';
import type { BinarySamples } from './binary-format.js';
import type { RecordSchema } from './record-schema.js';
import { RowSample } from './row-sample.js';
import { REJECT_REASONS } from './sample.js';
import type { Decoded, Rejected, RejectReason, Sample } from './sample.js';

const origin = { kind: 'kafka', topic: 'samples', partition: 0, offset: '42' } as const;
const statsville: RecordSchema = { features: ['height', 'weight'], task: 'multiclass', classes: ['man', 'woman', 'child'] };
const binaryTask: RecordSchema = { features: 2, task: 'binary' };
const regression2: RecordSchema = { features: 1, task: 'regression', outputs: 2 };

const seenReasons = new Set<RejectReason>();

function decodeAll(schema: RecordSchema, value: Buffer | string | null, options?: BinaryDecodeOptions): Decoded[] {
  const out: Decoded[] = [];
  createBinaryRecordDecoder(schema, options)({ value, origin }, (d) => out.push(d));
  return out;
}

function samplesOf(schema: RecordSchema, value: Buffer, options?: BinaryDecodeOptions): Sample[] {
  return decodeAll(schema, value, options).map((d) => {
    if (d.kind !== 'sample') throw new Error(`expected samples, got ${d.reason}: ${d.message}`);
    return d;
  });
}

/** The record is refused whole: exactly one Rejected, without a part. */
function refused(schema: RecordSchema, value: Buffer | string | null, reason: RejectReason, options?: BinaryDecodeOptions): Rejected {
  const out = decodeAll(schema, value, options);
  expect(out).toHaveLength(1);
  const r = out[0] as Rejected;
  expect(r.kind).toBe('rejected');
  expect(r.reason, r.message).toBe(reason);
  expect(r.origin).toBe(origin);
  expect(r.part).toBeUndefined();
  seenReasons.add(reason);
  return r;
}

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** docs/binary-format.md's worked example, typed from the spec (see binary-format.test.ts for the float bits). */
const WORKED_EXAMPLE = hex(`
  4f4c4253 0100 02 01 02000000 01000000 02000000
  00803643 0000a242  0080f242 0000cc41
  00000000 02000000
  0000803f 00000040`);

/** Statsville rows of three samples with a per-sample edit; header fields patched by the tests. */
function statsvilleRecord(edit: Partial<BinarySamples> = {}): Buffer {
  return encodeBinarySamples({
    features: new Float32Array([180, 80, 165, 60, 120, 30]),
    featureCount: 2,
    labels: new Uint32Array([0, 1, 2]),
    weights: new Float32Array([1, 0.5, 2]),
    ...edit,
  });
}

describe('createBinaryRecordDecoder: samples', () => {
  it("reads the spec's worked example: 2 samples with their features, classes and weights", () => {
    const [a, b] = samplesOf(statsville, WORKED_EXAMPLE);
    expect(a.x).toBeInstanceOf(Float32Array);
    expect([...a.x]).toEqual([182.5, 81]);
    expect(a.y).toBe(0);
    expect(a.weight).toBe(1);
    expect(a.part).toEqual({ index: 0, count: 2 });
    expect([...b.x]).toEqual([121.25, 25.5]);
    expect(b.y).toBe(2);
    expect(b.weight).toBe(2);
    expect(b.part).toEqual({ index: 1, count: 2 });
    expect(a.origin).toBe(origin);
    expect(b.origin).toBe(origin);
  });

  it('round-trips every label layout, into the float64 dtype too', () => {
    const multi = samplesOf(statsville, statsvilleRecord(), { dtype: 'float64' });
    expect(multi.map((s) => [Array.from(s.x), s.y, s.weight])).toEqual([
      [[180, 80], 0, 1],
      [[165, 60], 1, 0.5],
      [[120, 30], 2, 2],
    ]);
    expect(multi[0].x).toBeInstanceOf(Float64Array);

    // Binary: uint32 classes 0 / 1, or float32 targets (0.25 and 0.75 are exact in float32).
    const classes = samplesOf(binaryTask, encodeBinarySamples({ features: [1, 2, 3, 4], featureCount: 2, labels: new Uint32Array([1, 0]) }));
    expect(classes.map((s) => [s.y, s.weight])).toEqual([
      [1, 1],
      [0, 1],
    ]);
    const targets = samplesOf(binaryTask, encodeBinarySamples({ features: [1, 2, 3, 4], featureCount: 2, labels: new Float32Array([0.25, 0.75]) }));
    expect(targets.map((s) => s.y)).toEqual([0.25, 0.75]);

    // Regression with 2 outputs: each label a row of 2.
    const rows = samplesOf(regression2, encodeBinarySamples({ features: [5, 6], featureCount: 1, labels: [1.5, -2, 0.5, 8], labelWidth: 2 }));
    expect(rows.map((s) => Array.from(s.y as Float64Array))).toEqual([
      [1.5, -2],
      [0.5, 8],
    ]);
  });

  it('gives a record of one sample no part (it is acknowledged like a JSON record)', () => {
    const [only] = samplesOf(binaryTask, encodeBinarySamples({ features: [1, 2], featureCount: 2, labels: new Uint32Array([1]) }));
    expect(only.part).toBeUndefined();
    expect(only.y).toBe(1);
  });

  it('reads a record at any byte offset of a larger buffer (kafkajs hands out slices)', () => {
    const padded = Buffer.concat([Buffer.from([9, 9, 9]), WORKED_EXAMPLE]).subarray(3);
    expect(padded.byteOffset % 4).not.toBe(0);
    expect(samplesOf(statsville, padded).map((s) => s.y)).toEqual([0, 2]);
  });
});

describe('createBinaryRecordDecoder: a structurally bad record is refused whole', () => {
  it('empty: no value, no bytes, or a sample count of 0', () => {
    refused(statsville, null, 'empty');
    refused(statsville, Buffer.alloc(0), 'empty');
    const none = refused(statsville, encodeBinarySamples({ features: [], featureCount: 2, labels: new Uint32Array(0) }), 'empty');
    expect(none.message).toBe('sample count 0: a record holds at least one sample');
  });

  it('oversize: more bytes than maxRecordBytes, or more samples than maxSamplesPerRecord', () => {
    expect(refused(statsville, WORKED_EXAMPLE, 'oversize', { maxRecordBytes: 51 }).message).toBe('52 bytes exceed maxRecordBytes 51');
    expect(refused(statsville, WORKED_EXAMPLE, 'oversize', { maxSamplesPerRecord: 1 }).message).toBe('sample count 2 exceeds maxSamplesPerRecord 1');
  });

  it('bad_magic: JSON, or any other first bytes; the raw preview is the bytes in hex', () => {
    const json = refused(statsville, '{"features": [1, 2], "label": 0}', 'bad_magic');
    expect(json.message).toBe('expected the magic bytes "OLBS" (4f 4c 42 53), got 7b 22 66 65');
    expect(json.raw).toBe('7b 22 66 65 61 74 75 72 65 73 22 3a 20 5b 31 2c 20 32 5d 2c 20 22 6c 61 62 65 6c 22 3a 20 30 7d');
    expect(refused(statsville, 'not binary', 'bad_magic', { rawPreviewChars: 5 }).raw).toBe('6e 6f');
    refused(statsville, hex('4f 4c 42'), 'truncated');
    refused(statsville, hex('4f 4c 43'), 'bad_magic');
    expect(refused(statsville, hex('4f4c4253 0100'), 'truncated').message).toBe("6 bytes: shorter than the 20-byte header");
  });

  it('unsupported_version, bad_header (label type, unknown flag bits)', () => {
    const patched = (offset: number, byte: number): Buffer => {
      const bytes = Buffer.from(WORKED_EXAMPLE);
      bytes[offset] = byte;
      return bytes;
    };
    expect(refused(statsville, patched(4, 2), 'unsupported_version').message).toBe('version 2: this decoder reads version 1');
    expect(refused(statsville, patched(6, 3), 'bad_header').message).toBe('label type 3 is unknown (1 = float32, 2 = uint32)');
    expect(refused(statsville, patched(7, 0b11), 'bad_header').message).toBe('flags 0x3: unknown bits set (version 1 defines only 0x1, weights)');
  });

  it("wrong_feature_count: a feature count that is not the schema's", () => {
    const three = encodeBinarySamples({ features: [1, 2, 3], featureCount: 3, labels: new Uint32Array([0]) });
    expect(refused(statsville, three, 'wrong_feature_count').message).toBe('feature count 3: the schema has 2');
  });

  it("bad_label: a label layout the task cannot read", () => {
    const floatClasses = statsvilleRecord({ labels: new Float32Array([0, 1, 2]) });
    expect(refused(statsville, floatClasses, 'bad_label').message).toBe('labels: float32 x 1: multiclass labels are uint32 class indexes, width 1');
    refused(binaryTask, encodeBinarySamples({ features: [1, 2], featureCount: 2, labels: [0, 1], labelWidth: 2 }), 'bad_label');
    refused(regression2, encodeBinarySamples({ features: [1], featureCount: 1, labels: [0] }), 'bad_label');
    refused(regression2, encodeBinarySamples({ features: [1], featureCount: 1, labels: new Uint32Array([0, 1]), labelWidth: 2 }), 'bad_label');
  });

  it('truncated and trailing_bytes: a length other than the header announces', () => {
    expect(refused(statsville, WORKED_EXAMPLE.subarray(0, 51), 'truncated').message).toBe('51 bytes, the header announces 52');
    expect(refused(statsville, Buffer.concat([WORKED_EXAMPLE, Buffer.alloc(4)]), 'trailing_bytes').message).toBe(
      '56 bytes, the header announces 52 (4 trailing)',
    );
    // The weights flag cleared: the same bytes are now 8 too many.
    const noWeights = Buffer.from(WORKED_EXAMPLE);
    noWeights[7] = 0;
    refused(statsville, noWeights, 'trailing_bytes');
  });
});

describe('createBinaryRecordDecoder: a bad value refuses its sample alone', () => {
  /** Decodes, expects samples except at `badIndex`, which is rejected with `reason` and its part. */
  function oneBad(schema: RecordSchema, value: Buffer, badIndex: number, reason: RejectReason): Rejected {
    const out = decodeAll(schema, value);
    const count = out.length;
    out.forEach((d, i) => {
      expect(d.kind).toBe(i === badIndex ? 'rejected' : 'sample');
      expect(i === badIndex ? (d as Rejected).part : (d as Sample).part).toEqual({ index: i, count });
    });
    const r = out[badIndex] as Rejected;
    expect(r.reason, r.message).toBe(reason);
    expect(r.origin).toBe(origin);
    seenReasons.add(reason);
    return r;
  }

  it('non_finite: a NaN or infinite feature, label or weight', () => {
    const nanFeature = statsvilleRecord({ features: new Float32Array([180, 80, 165, NaN, 120, 30]) });
    expect(oneBad(statsville, nanFeature, 1, 'non_finite').message).toBe('sample 1 of 3: features[1]: NaN is not finite');
    const infFeature = statsvilleRecord({ features: new Float32Array([-Infinity, 80, 165, 60, 120, 30]) });
    expect(oneBad(statsville, infFeature, 0, 'non_finite').message).toBe('sample 0 of 3: features[0]: -Infinity is not finite');
    const nanWeight = statsvilleRecord({ weights: new Float32Array([1, 1, NaN]) });
    expect(oneBad(statsville, nanWeight, 2, 'non_finite').message).toBe('sample 2 of 3: weight: NaN is not finite');
    const infLabel = encodeBinarySamples({ features: [1, 2], featureCount: 1, labels: [0.5, Infinity] });
    expect(oneBad({ features: 1, task: 'regression' }, infLabel, 1, 'non_finite').message).toBe('sample 1 of 2: label[0]: Infinity is not finite');
  });

  it('unknown_class: a class index at or above the class count', () => {
    const three = statsvilleRecord({ labels: new Uint32Array([0, 3, 2]) });
    expect(oneBad(statsville, three, 1, 'unknown_class').message).toBe('sample 1 of 3: label: class index 3 is out of range [0, 2]');
    const huge = statsvilleRecord({ labels: new Uint32Array([0, 1, 0xffffffff]) });
    expect(oneBad(statsville, huge, 2, 'unknown_class').message).toBe('sample 2 of 3: label: class index 4294967295 is out of range [0, 2]');
    const binaryTwo = encodeBinarySamples({ features: [1, 2, 3, 4], featureCount: 2, labels: new Float32Array([2, 1]) });
    expect(oneBad(binaryTask, binaryTwo, 0, 'unknown_class').message).toBe('sample 0 of 2: label: class index 2 is not 0 or 1');
  });

  it('bad_label: a binary target that is neither a class nor a probability', () => {
    const target = encodeBinarySamples({ features: [1, 2, 3, 4], featureCount: 2, labels: new Float32Array([1, -0.5]) });
    expect(oneBad(binaryTask, target, 1, 'bad_label').message).toBe('sample 1 of 2: label: -0.5 is not a class (0, 1) nor a probability in [0, 1]');
  });

  it('bad_weight: a negative weight; a zero weight is kept', () => {
    const negative = statsvilleRecord({ weights: new Float32Array([0, -1, 1]) });
    expect(oneBad(statsville, negative, 1, 'bad_weight').message).toBe('sample 1 of 3: weight: -1 is invalid: must be >= 0');
    expect(samplesOf(statsville, statsvilleRecord({ weights: new Float32Array([0, 0, 0]) })).map((s) => s.weight)).toEqual([0, 0, 0]);
  });

  it('bad_weight: heavier than maxWeight (default 1e6; float32 holds up to 3.4e38)', () => {
    const heavy = statsvilleRecord({ weights: new Float32Array([1, 2e6, 1]) });
    expect(oneBad(statsville, heavy, 1, 'bad_weight').message).toBe('sample 1 of 3: weight: 2000000 is invalid: must be at most 1000000 (schema.maxWeight)');
  });

  it('names the first problem in the order features, label, weight', () => {
    const allBad = statsvilleRecord({ features: new Float32Array([NaN, 80, 165, 60, 120, 30]), labels: new Uint32Array([9, 0, 0]), weights: new Float32Array([-1, 1, 1]) });
    expect(oneBad(statsville, allBad, 0, 'non_finite').message).toBe('sample 0 of 3: features[0]: NaN is not finite');
    const labelAndWeight = statsvilleRecord({ labels: new Uint32Array([9, 0, 0]), weights: new Float32Array([-1, 1, 1]) });
    expect(oneBad(statsville, labelAndWeight, 0, 'unknown_class').reason).toBe('unknown_class');
  });

  afterAll(() => {
    // Every reason the binary format can give has a case in this file.
    expect([...seenReasons].sort()).toEqual(
      ['empty', 'oversize', 'bad_magic', 'unsupported_version', 'bad_header', 'truncated', 'trailing_bytes', 'wrong_feature_count', 'bad_label', 'non_finite', 'unknown_class', 'bad_weight'].sort(),
    );
  });
});

describe('createBinaryRecordDecoder: robustness', () => {
  it('never throws on random, truncated or mangled bytes, and accounts for every announced sample', () => {
    const decode = createBinaryRecordDecoder(statsville, { maxSamplesPerRecord: 1000 });
    const rng = new Rng(7);
    const valid = statsvilleRecord();
    const reasons = new Set<string>();
    let samples = 0;
    for (let i = 0; i < 5000; i++) {
      let bytes: Buffer;
      if (i % 4 === 0) {
        bytes = Buffer.alloc(rng.int(80));
        for (let k = 0; k < bytes.length; k++) bytes[k] = rng.int(256);
        // Half of the random ones start with the magic, so the checks behind it are reached too.
        if (i % 8 === 0) WORKED_EXAMPLE.copy(bytes, 0, 0, Math.min(bytes.length, 4));
      } else {
        bytes = Buffer.from(valid);
        for (let k = 0; k < 1 + rng.int(3); k++) bytes[rng.int(bytes.length)] = rng.int(256);
        bytes = bytes.subarray(0, i % 3 === 0 ? rng.int(bytes.length + 1) : bytes.length);
      }
      const record: SourceRecord = { value: bytes, origin };
      const out: Decoded[] = [];
      decode(record, (d) => out.push(d));
      expect(out.length).toBeGreaterThanOrEqual(1);
      for (const d of out) {
        if (d.kind === 'sample') {
          samples++;
          expect(Array.from(d.x).every(Number.isFinite)).toBe(true);
        } else {
          expect(REJECT_REASONS).toContain(d.reason);
          expect(d.message.length).toBeGreaterThan(0);
          reasons.add(d.reason);
        }
      }
      // Either one refusal of the whole record, or one item per announced sample.
      if (out.length > 1 || out[0].kind === 'sample' || out[0].part !== undefined) {
        expect(out.length).toBe(bytes.readUInt32LE(16));
      }
    }
    expect(samples).toBeGreaterThan(0);
    // The mangling reaches most checks, not just the first.
    expect(reasons.size).toBeGreaterThanOrEqual(8);
  });
});

describe('createBinaryRecordDecoder with rowSamples', () => {
  it('emits RowSamples whose rows hold what the default samples hold, with the same labels, weights, parts and rejects', () => {
    const features = Float32Array.of(182.5, 81, Number.NaN, 1, 121.25, 25.5);
    const record = encodeBinarySamples({ features, featureCount: 2, labels: Uint32Array.of(0, 1, 2), weights: Float32Array.of(1, 1, 0.5) });
    const plain = decodeAll(statsville, record);
    const rowed = decodeAll(statsville, record, { rowSamples: true });
    expect(rowed.map((d) => d.kind)).toEqual(['sample', 'rejected', 'sample']);
    expect(rowed[1]).toEqual(plain[1]);
    for (const i of [0, 2]) {
      const row = rowed[i] as RowSample;
      const sample = plain[i] as Sample;
      expect(row).toBeInstanceOf(RowSample);
      expect(row.offset).toBe(2 * i);
      expect(Array.from(row.rows.subarray(row.offset, row.offset + row.width))).toEqual(Array.from(sample.x));
      expect([row.y, row.weight, row.origin, row.part]).toEqual([sample.y, sample.weight, sample.origin, sample.part]);
    }
  });
});
