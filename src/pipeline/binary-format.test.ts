import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { binaryRecordBytes, encodeBinarySamples } from './binary-format.js';

/**
 * docs/binary-format.md's worked example, byte by byte from the spec: two Statsville residents,
 * (182.5 cm, 81 kg, class 0, weight 1) and (121.25 cm, 25.5 kg, class 2, weight 2).
 * float32 bits: 182.5 = 1.42578125 * 2^7 -> 0x43368000; 81 = 1.265625 * 2^6 -> 0x42a20000;
 * 121.25 = 1.89453125 * 2^6 -> 0x42f28000; 25.5 = 1.59375 * 2^4 -> 0x41cc0000; 1 -> 0x3f800000; 2 -> 0x40000000.
 */
const WORKED_EXAMPLE = Buffer.from(
  [
    '4f 4c 42 53', // magic "OLBS"
    '01 00', // version 1
    '02', // label type uint32
    '01', // flags: weights
    '02 00 00 00', // 2 features
    '01 00 00 00', // label width 1
    '02 00 00 00', // 2 samples
    '00 80 36 43  00 00 a2 42', // sample 0: 182.5, 81
    '00 80 f2 42  00 00 cc 41', // sample 1: 121.25, 25.5
    '00 00 00 00  02 00 00 00', // labels 0, 2
    '00 00 80 3f  00 00 00 40', // weights 1, 2
  ]
    .join(' ')
    .split(/\s+/)
    .map((pair) => parseInt(pair, 16)),
);

describe('encodeBinarySamples', () => {
  it("writes the spec's worked example byte for byte", () => {
    const bytes = encodeBinarySamples({
      features: new Float32Array([182.5, 81, 121.25, 25.5]),
      featureCount: 2,
      labels: new Uint32Array([0, 2]),
      weights: new Float32Array([1, 2]),
    });
    expect(bytes.length).toBe(52);
    expect(bytes.toString('hex')).toBe(WORKED_EXAMPLE.toString('hex'));
  });

  it('writes float32 labels (type 1) and no weights section (flags 0) when the labels are not a Uint32Array', () => {
    // 20 + 4 * 1 * (1 + 2) = 32 bytes; 0.75 = 1.5 * 2^-1 -> 0x3f400000.
    const bytes = encodeBinarySamples({ features: [0.75], featureCount: 1, labels: [1, 2], labelWidth: 2 });
    expect(bytes.toString('hex')).toBe('4f4c4253' + '0100' + '01' + '00' + '01000000' + '02000000' + '01000000' + '0000403f' + '0000803f' + '00000040');
    expect(binaryRecordBytes(1, 1, 2, false)).toBe(32);
  });

  it('refuses shapes it cannot write', () => {
    expect(() => encodeBinarySamples({ features: [1, 2, 3], featureCount: 2, labels: [0] })).toThrow(ShapeError);
    expect(() => encodeBinarySamples({ features: [1, 2], featureCount: 2, labels: [0, 1] })).toThrow('labels: expected 1 values (1 x 1), got 2');
    expect(() => encodeBinarySamples({ features: [1, 2], featureCount: 2, labels: [0], weights: [] })).toThrow('weights: expected 1 values, got 0');
    expect(() => encodeBinarySamples({ features: [], featureCount: 0, labels: [] })).toThrow('featureCount: 0 is invalid');
  });
});
