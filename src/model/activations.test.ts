import { describe, expect, it } from 'vitest';
import { activationBackward, activationForward } from './activations.js';
import { outputBackward, outputForward } from './output-activation.js';

const Z = [-2, 0, 0.5];

function forward(kind: Parameters<typeof activationForward>[0]): Float64Array {
  const z = Float64Array.from(Z);
  activationForward(kind, z, z.length);
  return z;
}

function backward(kind: Parameters<typeof activationForward>[0]): number[] {
  const g = Float64Array.from([1, 1, 1]);
  activationBackward(kind, forward(kind), g, 3);
  return Array.from(g);
}

describe('hidden activations', () => {
  it('identity', () => {
    expect(Array.from(forward('identity'))).toEqual(Z);
    expect(backward('identity')).toEqual([1, 1, 1]);
  });

  it('relu: derivative 0 at z = 0 (torch convention), NaN propagates', () => {
    expect(Array.from(forward('relu'))).toEqual([0, 0, 0.5]);
    expect(backward('relu')).toEqual([0, 0, 1]);
    const z = Float64Array.from([Number.NaN]);
    activationForward('relu', z, 1);
    expect(z[0]).toBeNaN();
  });

  it('tanh: derivative 1 - y²', () => {
    const y = forward('tanh');
    expect(y[1]).toBe(0);
    expect(y[2]).toBeCloseTo(0.46211715726000974, 15);
    const g = backward('tanh');
    expect(g[1]).toBe(1);
    expect(g[2]).toBeCloseTo(1 - 0.46211715726000974 ** 2, 15);
  });

  it('sigmoid: 1/(1+e^-z), derivative y(1-y), stable for large |z|', () => {
    const y = forward('sigmoid');
    expect(y[1]).toBe(0.5);
    expect(y[0]).toBeCloseTo(1 / (1 + Math.exp(2)), 15);
    expect(backward('sigmoid')[1]).toBe(0.25);
    const extreme = Float64Array.from([-1000, 1000]);
    activationForward('sigmoid', extreme, 2);
    expect(Array.from(extreme)).toEqual([0, 1]);
  });

  it('touches only the leading n elements', () => {
    const z = Float64Array.from([-1, -1]);
    activationForward('relu', z, 1);
    expect(Array.from(z)).toEqual([0, -1]);
  });
});

describe('output activations', () => {
  it('softmax backward is the Jacobian-vector product y ⊙ (g - <g, y>)', () => {
    // y = softmax([0, ln 3]) = [1/4, 3/4]; g = [1, 0]: <g, y> = 1/4, dz = [1/4·3/4, 3/4·(-1/4)] = [3/16, -3/16].
    const y = Float64Array.from([0, Math.log(3)]);
    outputForward('softmax', y, 1, 2);
    const gz = new Float64Array(2);
    outputBackward('softmax', y, Float64Array.from([1, 0]), gz, 1, 2);
    expect(gz[0]).toBeCloseTo(3 / 16, 15);
    expect(gz[1]).toBeCloseTo(-3 / 16, 15);
  });

  it('a constant upstream gradient gives zero through softmax (rows sum to one)', () => {
    const y = Float64Array.from([0.3, -1, 2, 5, 5, 5]);
    outputForward('softmax', y, 2, 3);
    const gz = new Float64Array(6);
    outputBackward('softmax', y, Float64Array.from([2, 2, 2, -1, -1, -1]), gz, 2, 3);
    for (const v of gz) expect(Math.abs(v)).toBeLessThan(1e-15);
  });

  it('sigmoid backward is g·y(1-y); identity copies g', () => {
    const y = Float64Array.from([0, 0]);
    outputForward('sigmoid', y, 1, 2);
    const gz = new Float64Array(2);
    outputBackward('sigmoid', y, Float64Array.from([4, -8]), gz, 1, 2);
    expect(Array.from(gz)).toEqual([1, -2]);
    outputBackward('identity', y, Float64Array.from([4, -8]), gz, 1, 2);
    expect(Array.from(gz)).toEqual([4, -8]);
  });
});
