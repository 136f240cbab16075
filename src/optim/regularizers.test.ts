import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { Rng } from '../math/rng.js';
import type { ParamMap } from '../math/tensor.js';
import { createOptimizer } from './registry.js';
import { addL1Subgradient, addL2Gradient, l1Penalty, l2Penalty, proximalL1 } from './regularizers.js';

const params = (): ParamMap => ({ 'fc.weight': new Float64Array([1, -2, 0]), 'fc.bias': new Float64Array([3]) });
const zeros = (): ParamMap => ({ 'fc.weight': new Float64Array(3), 'fc.bias': new Float64Array(1) });

describe('L2 and L1 penalties (added to the loss)', () => {
  it('L2: value lambda*||p||^2 and gradient 2*lambda*p, biases optional', () => {
    // ||p||^2 = 1 + 4 + 0 + 9 = 14; without the bias 5.
    expect(l2Penalty(params(), 0.1)).toBeCloseTo(1.4, 15);
    expect(l2Penalty(params(), 0.1, { excludeBiases: true })).toBeCloseTo(0.5, 15);
    const grads = zeros();
    addL2Gradient(params(), grads, 0.1, { excludeBiases: true });
    expect(Array.from(grads['fc.weight'])).toEqual([0.2, -0.4, 0]);
    expect(Array.from(grads['fc.bias'])).toEqual([0]);
  });

  it("L2 with lambda = wd/2 is an optimizer's weightDecay: same SGD step", () => {
    // SGD lr 0.1, weightDecay 0.2 on p = 1, g = 0: p = 1 - 0.1 * 0.2 * 1 = 0.98, as with lambda = 0.1.
    const decayed = { w: new Float64Array([1]) };
    createOptimizer({ type: 'sgd', lr: 0.1, weightDecay: 0.2 }).step(decayed, { w: new Float64Array([0]) });
    const penalized = { w: new Float64Array([1]) };
    const grads = { w: new Float64Array([0]) };
    addL2Gradient(penalized, grads, 0.1);
    createOptimizer({ type: 'sgd', lr: 0.1 }).step(penalized, grads);
    expect(decayed.w[0]).toBeCloseTo(0.98, 15);
    expect(penalized.w[0]).toBe(decayed.w[0]);
  });

  it('L1: value lambda*sum|p| and subgradient lambda*sign(p), with sign(0) = 0', () => {
    // sum |p| = 1 + 2 + 0 + 3 = 6.
    expect(l1Penalty(params(), 0.5)).toBe(3);
    expect(l1Penalty(params(), 0.5, { excludeBiases: true })).toBe(1.5);
    const grads = zeros();
    addL1Subgradient(params(), grads, 0.5);
    expect(Array.from(grads['fc.weight'])).toEqual([0.5, -0.5, 0]);
    expect(Array.from(grads['fc.bias'])).toEqual([0.5]);
  });

  it('L1 proximal step soft-thresholds by lr*lambda and stops exactly at 0', () => {
    // threshold 0.5 * 1 = 0.5: 1 -> 0.5, -2 -> -1.5, 0.3 -> 0, -0.5 -> 0 (the edge is zeroed too).
    const p = { w: new Float32Array([1, -2, 0.3, -0.5]), 'w.bias': new Float32Array([0.2]) };
    proximalL1(p, 1, 0.5, { excludeBiases: true });
    expect(Array.from(p.w)).toEqual([0.5, -1.5, 0, 0]);
    expect(p['w.bias'][0]).toBeCloseTo(0.2, 7);
  });

  it('rejects a negative lambda', () => {
    expect(() => l2Penalty(params(), -1)).toThrow(new ConfigError('l2.lambda = -1 is invalid: must be >= 0'));
    expect(() => proximalL1(params(), -1, 0.1)).toThrow(new ConfigError('l1.lambda = -1 is invalid: must be >= 0'));
  });
});

describe('the chapter sparsity claim on a sparse linear regression', () => {
  // 20 features, 3 of them relevant, y = x . w* + 0.5 + noise; plain full-batch SGD on the mean squared
  // error with either L1 (proximal) or L2, same lambda. The lasso optimum zeroes feature j exactly when
  // |2/n x_j . r| <= lambda; here that correlation is of order 2 * 0.1 / sqrt(200) = 0.014, far below
  // lambda = 0.1. Ridge only shrinks: w_j = (x_j . r) / (x_j . x_j + n*lambda), small but not 0.
  const features = 20;
  const samples = 200;
  const truth = new Map([
    [2, 2],
    [7, -3],
    [15, 1.5],
  ]);
  const rng = new Rng(2024);
  const x = new Float64Array(samples * features);
  const y = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    let target = 0.5 + 0.1 * rng.normal();
    for (let j = 0; j < features; j++) {
      x[s * features + j] = rng.normal();
      target += (truth.get(j) ?? 0) * x[s * features + j];
    }
    y[s] = target;
  }

  function fit(regularize: 'l1' | 'l2'): Float64Array {
    const lr = 0.05;
    const lambda = 0.1;
    const params = { 'linear.weight': new Float64Array(features), 'linear.bias': new Float64Array(1) };
    const grads = { 'linear.weight': new Float64Array(features), 'linear.bias': new Float64Array(1) };
    const opt = createOptimizer({ type: 'sgd', lr });
    for (let step = 0; step < 2000; step++) {
      grads['linear.weight'].fill(0);
      grads['linear.bias'][0] = 0;
      for (let s = 0; s < samples; s++) {
        let residual = params['linear.bias'][0] - y[s];
        for (let j = 0; j < features; j++) residual += params['linear.weight'][j] * x[s * features + j];
        const scale = (2 / samples) * residual;
        for (let j = 0; j < features; j++) grads['linear.weight'][j] += scale * x[s * features + j];
        grads['linear.bias'][0] += scale;
      }
      if (regularize === 'l2') addL2Gradient(params, grads, lambda, { excludeBiases: true });
      opt.step(params, grads);
      if (regularize === 'l1') proximalL1(params, lambda, lr, { excludeBiases: true });
    }
    expect(params['linear.bias'][0]).toBeCloseTo(0.5, 1);
    return params['linear.weight'];
  }

  it('L1 (proximal) sets every irrelevant weight to exactly 0 and keeps the relevant ones', () => {
    const w = fit('l1');
    for (let j = 0; j < features; j++) {
      if (truth.has(j)) expect(Math.abs(w[j] - truth.get(j)!), `w[${j}]`).toBeLessThan(0.2);
      else expect(w[j], `w[${j}]`).toBe(0);
    }
  });

  it('L2 leaves the irrelevant weights small but not zero', () => {
    const w = fit('l2');
    for (let j = 0; j < features; j++) {
      if (truth.has(j)) expect(Math.abs(w[j] - truth.get(j)!), `w[${j}]`).toBeLessThan(0.5);
      else {
        expect(Math.abs(w[j]), `w[${j}]`).toBeLessThan(0.05);
        expect(w[j], `w[${j}]`).not.toBe(0);
      }
    }
  });
});
