import { describe, expect, it } from 'vitest';
import { canonicalJson, parseExact, stringifyExact } from './exact-json.js';

describe('exact JSON', () => {
  it('round-trips NaN, both infinities and -0, which plain JSON turns into null and 0', () => {
    const value = { nan: Number.NaN, inf: Infinity, ninf: -Infinity, nzero: -0, row: [-0, 0.1, 1e-320], tiny: Number.MIN_VALUE };
    expect(JSON.stringify(value)).toBe('{"nan":null,"inf":null,"ninf":null,"nzero":0,"row":[0,0.1,1e-320],"tiny":5e-324}');
    const text = stringifyExact(value);
    expect(text).toBe(
      '{"nan":{"$number":"NaN"},"inf":{"$number":"Infinity"},"ninf":{"$number":"-Infinity"},"nzero":{"$number":"-0"},"row":[{"$number":"-0"},0.1,1e-320],"tiny":5e-324}',
    );
    const back = parseExact(text) as typeof value;
    expect(Object.is(back.nzero, -0)).toBe(true);
    expect(Object.is(back.row[0], -0)).toBe(true);
    expect(back).toEqual(value);
  });

  it('leaves objects that merely look like a tag alone', () => {
    expect(parseExact('{"a":{"$number":"pi"},"b":{"$number":"NaN","x":1}}')).toEqual({ a: { $number: 'pi' }, b: { $number: 'NaN', x: 1 } });
  });

  it('canonical JSON sorts keys at every level and drops undefined, so equal values hash alike', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });
});
