import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { coerce } from './coerce.js';
import { closest, envNameOf, formatPath } from './names.js';

describe('coerce', () => {
  it('reads numbers, booleans and lists, and leaves what does not fit for validation to report', () => {
    expect(coerce(' 1e-3 ', z.number())).toBe(0.001);
    expect(coerce('abc', z.number())).toBe('abc');
    expect(coerce('NO', z.boolean())).toBe(false);
    expect(coerce('maybe', z.boolean())).toBe('maybe');
    expect(coerce('1, 2,3', z.array(z.number()))).toEqual([1, 2, 3]);
    expect(coerce('[1, "a"]', z.array(z.string()))).toEqual([1, 'a']);
    expect(coerce('', z.array(z.string()))).toEqual([]);
    expect(coerce('0.9,0.99', z.tuple([z.number(), z.number()]))).toEqual([0.9, 0.99]);
    expect(coerce('4', z.union([z.array(z.string()), z.number()]))).toBe(4);
    expect(coerce('a,b', z.union([z.array(z.string()), z.number()]))).toEqual(['a', 'b']);
    expect(coerce(0.5, z.number())).toBe(0.5);
  });
});

describe('names', () => {
  it('spells paths as variables and in messages, and suggests near misses only', () => {
    expect(envNameOf(['optimizer', 'initialAccumulatorValue'])).toBe('ONLINE_LEARNER_OPTIMIZER_INITIAL_ACCUMULATOR_VALUE');
    expect(envNameOf(['source', 'sasl', 'password'])).toBe('ONLINE_LEARNER_SOURCE_SASL_PASSWORD');
    expect(formatPath(['optimizer', 'betas', 1])).toBe('optimizer.betas[1]');
    expect(closest('momentm', ['lr', 'momentum'])).toBe('momentum');
    expect(closest('zzz', ['lr', 'momentum'])).toBeNull();
  });
});
