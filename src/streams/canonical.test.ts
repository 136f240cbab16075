import { describe, expect, it } from 'vitest';
import { formatRecord, roundTo } from './canonical.js';

describe('formatRecord', () => {
  it('writes keys in the order features, label, weight, id whatever the object order', () => {
    const record = { id: 's-17', weight: 2, label: 0, features: [182.1, 81] };
    expect(formatRecord(record)).toBe('{"features":[182.1,81],"label":0,"weight":2,"id":"s-17"}\n');
  });

  it('omits absent optional keys and keeps feature names in their declared order', () => {
    expect(formatRecord({ features: { height_cm: 182.1, weight_kg: 81 }, label: 'man' })).toBe(
      '{"features":{"height_cm":182.1,"weight_kg":81},"label":"man"}\n',
    );
  });

  it('writes numbers in shortest round-trip form and array labels as arrays', () => {
    expect(formatRecord({ features: [0.1 + 0.2, -0.5, 1e-7], label: [12.5, -3] })).toBe(
      '{"features":[0.30000000000000004,-0.5,1e-7],"label":[12.5,-3]}\n',
    );
  });

  it('escapes strings as JSON does', () => {
    expect(formatRecord({ features: [], label: 'a"b', id: 'x\ny' })).toBe('{"features":[],"label":"a\\"b","id":"x\\ny"}\n');
  });

  it('refuses non-finite numbers, which JSON cannot carry', () => {
    expect(() => formatRecord({ features: [Number.NaN], label: 0 })).toThrow(/non-finite/);
    expect(() => formatRecord({ features: { a: 1 }, label: Number.POSITIVE_INFINITY })).toThrow(/non-finite/);
  });
});

describe('roundTo', () => {
  it('rounds to the nearest multiple of 10^-decimals and prints as that decimal', () => {
    expect(String(roundTo(0.1 + 0.2, 1))).toBe('0.3');
    expect(String(roundTo(178.26, 1))).toBe('178.3');
    expect(String(roundTo(-1.23456, 3))).toBe('-1.235');
  });

  it('never returns negative zero', () => {
    expect(Object.is(roundTo(-0.04, 1), 0)).toBe(true);
  });
});
