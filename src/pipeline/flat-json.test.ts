import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import type { Origin } from '../sources/types.js';
import { createRecordDecoder } from './decode-record.js';
import { createFlatJsonDecoder } from './flat-json.js';
import type { FlatJsonOptions } from './flat-json.js';
import { resolveSchema } from './record-schema.js';
import type { RecordSchema } from './record-schema.js';

const schema: RecordSchema = { features: ['height_cm', 'weight_kg'], task: 'multiclass', classes: ['man', 'woman', 'child'] };
const options: FlatJsonOptions = { dtype: 'float32', maxRecordBytes: 1024, maxDepth: 16, maxWeight: 1e6 };
const origin: Origin = { kind: 'kafka', topic: 't', partition: 0, offset: '7' };
const flat = (text: string, o: Partial<FlatJsonOptions> = {}, s: RecordSchema = schema) =>
  (createFlatJsonDecoder(resolveSchema(s), { ...options, ...o }) ?? (() => null))(Buffer.from(text), origin);

describe('createFlatJsonDecoder', () => {
  it('reads a flat record from its bytes: features in schema order, class index, weight, id', () => {
    const sample = flat('{"features":{"weight_kg":57.2,"height_cm":158.1},"label":"woman","weight":2.5,"id":"sv-0"}');
    // Float32 of the written decimals: what JSON.parse then a Float32Array store give.
    expect(sample).toEqual({ kind: 'sample', x: Float32Array.of(Math.fround(158.1), Math.fround(57.2)), y: 1, weight: 2.5, id: 'sv-0', origin });
    expect(flat('{"features":[1e2,-0.5],"label":2}')).toEqual({ kind: 'sample', x: Float32Array.of(100, -0.5), y: 2, weight: 1, origin });
    // Short ids are built char by char, long ones decoded from the buffer: both as written.
    const long = `order-${'0123456789'.repeat(5)}`;
    expect(flat(`{"features":[1,2],"label":0,"id":"${long}"}`)?.id).toBe(long);
  });

  it('accepts JSON whitespace anywhere between tokens and numeric ids as their JS string', () => {
    const sample = flat(' \r\n{ "id" : 12.50 ,\t"label" : "man" , "features" : [ 1 , 2E-1 ] }\n');
    expect(sample).toEqual({ kind: 'sample', x: Float32Array.of(1, Math.fround(0.2)), y: 0, weight: 1, id: '12.5', origin });
  });

  it('converts numbers exactly as JSON.parse does, in float64', () => {
    const rng = new Rng(11);
    const texts: string[] = ['-0', '0', '9007199254740991', '1e22', '1e-22', '123456789012345e-22', '0.30000000000000004', '4.35'];
    for (let i = 0; i < 2000; i++) {
      const v = (rng.uniform() - 0.5) * 10 ** (rng.int(40) - 20);
      texts.push(String(v), v.toFixed(rng.int(9)), v.toExponential(rng.int(15)), v.toPrecision(1 + rng.int(15)));
    }
    let checked = 0;
    for (const text of texts) {
      const sample = flat(`{"features":[${text},0],"label":0}`, { dtype: 'float64' });
      if (sample === null) continue;
      checked++;
      expect(Object.is(sample.x[0], JSON.parse(text) as number), text).toBe(true);
    }
    // Most of the 8,008 are within the fast path (significand below 2^53, |exponent| <= 22).
    expect(checked).toBeGreaterThan(5000);
  });

  it.each([
    ['an escape in a string', '{"features":[1,2],"label":"m\\u0061n"}'],
    ['non-ASCII bytes', '{"features":[1,2],"label":"man","id":"é"}'],
    ['a byte-order mark', '\ufeff{"features":[1,2],"label":"man"}'],
    ['an unknown top-level key', '{"features":[1,2],"label":"man","meta":1}'],
    ['a repeated top-level key', '{"features":[1,2],"label":"man","label":"woman"}'],
    ['a repeated feature', '{"features":{"height_cm":1,"height_cm":2},"label":"man"}'],
    ['an unknown feature', '{"features":{"height_cm":1,"weight_kg":2,"age":3},"label":"man"}'],
    ['a missing feature', '{"features":{"height_cm":1},"label":"man"}'],
    ['a wrong feature count', '{"features":[1,2,3],"label":"man"}'],
    ['a missing label', '{"features":[1,2]}'],
    ['an unknown class', '{"features":[1,2],"label":"MAN"}'],
    ['a class index out of range', '{"features":[1,2],"label":3}'],
    ['a probability row', '{"features":[1,2],"label":[0.2,0.3,0.5]}'],
    ['a weight above maxWeight', '{"features":[1,2],"label":"man","weight":1e7}'],
    ['a negative weight', '{"features":[1,2],"label":"man","weight":-1}'],
    ['17 significant digits', '{"features":[1.2345678901234567,2],"label":"man"}'],
    ['an exponent past 22', '{"features":[1e23,2],"label":"man"}'],
    ['a leading zero', '{"features":[01,2],"label":"man"}'],
    ['a bare fraction', '{"features":[.5,2],"label":"man"}'],
    ['NaN', '{"features":[NaN,2],"label":"man"}'],
    ['a string feature', '{"features":["1",2],"label":"man"}'],
    ['trailing text', '{"features":[1,2],"label":"man"} x'],
    ['a truncated record', '{"features":[1,2],"label":"ma'],
    ['a prototype key', '{"features":[1,2],"label":"man","__proto__":{}}'],
    ['a non-JSON space (form feed)', '{"features":[1,2],\f"label":"man"}'],
  ])('gives up on %s (the general decoder judges it)', (_what, text) => {
    expect(flat(text)).toBeNull();
  });

  it('gives up on records over maxRecordBytes, and is not built for maxDepth 1 or names that need escaping', () => {
    const text = '{"features":[1,2],"label":"man"}';
    expect(flat(text, { maxRecordBytes: text.length - 1 })).toBeNull();
    expect(createFlatJsonDecoder(resolveSchema(schema), { ...options, maxDepth: 1 })).toBeNull();
    expect(createFlatJsonDecoder(resolveSchema({ features: ['a"b'], task: 'regression' }), options)).toBeNull();
  });
});

describe('createRecordDecoder with the fast path', () => {
  const decode = createRecordDecoder(schema);
  it.each([
    '{"features":{"height_cm":158.1,"weight_kg":57.2},"label":"woman","id":"sv-0"}',
    '{"features":[1.2345678901234567,2],"label":"man"}',
    '{"features":{"height_cm":1,"height_cm":2,"weight_kg":3},"label":"man"}',
    '{"features":{"height_cm":1},"label":"man"}',
    '{"features":[1,2],"label":"MAN"}',
    '{"features":[1,2],"label":"man","weight":1e7}',
    '{"features":[1e39,2],"label":"man"}',
    '{"features":[1,2],"label":"man","__proto__":{}}',
    '{"features":[1,2],"label":"man"} x',
  ])('decodes the bytes of %s exactly as its text', (text) => {
    expect(decode({ value: Buffer.from(text), origin })).toEqual(decode({ value: text, origin }));
  });
});
