import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import { initializeDense } from './initializers.js';
import { createModel } from './registry.js';
import type { Initializer } from './types.js';

const FAN_IN = 300;
const FAN_OUT = 200;

function init(kind: Initializer, seed = 1): { weight: Float64Array; bias: Float64Array } {
  const weight = new Float64Array(FAN_OUT * FAN_IN);
  const bias = new Float64Array(FAN_OUT).fill(99);
  initializeDense(kind, weight, bias, FAN_IN, FAN_OUT, new Rng(seed));
  return { weight, bias };
}

function stats(values: Float64Array): { mean: number; variance: number; maxAbs: number } {
  let sum = 0;
  let sumSq = 0;
  let maxAbs = 0;
  for (const v of values) {
    sum += v;
    sumSq += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = sum / values.length;
  return { mean, variance: sumSq / values.length - mean * mean, maxAbs };
}

// n = 60 000 weights. For U(-a, a) the sample variance has relative standard error sqrt(4/5)/sqrt(n) ~ 0.37%,
// for a normal sqrt(2/n) ~ 0.58%: the 3% tolerances below are > 5 sigma.
describe('initializers', () => {
  it('xavier_uniform: U(-a, a) with a = sqrt(6/(fanIn+fanOut)), variance 2/(fanIn+fanOut), zero bias', () => {
    const { weight, bias } = init('xavier_uniform');
    const a = Math.sqrt(6 / 500); // 0.1095...
    const s = stats(weight);
    expect(s.maxAbs).toBeLessThanOrEqual(a);
    expect(s.maxAbs).toBeGreaterThan(0.999 * a);
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
    expect(Math.abs(s.variance / (2 / 500) - 1)).toBeLessThan(0.03);
    expect(Array.from(bias).every((b) => b === 0)).toBe(true);
  });

  it('xavier_uniform draws weights row-major from the Rng: w_i = -a + 2a·u_i', () => {
    const { weight } = init('xavier_uniform', 5);
    const a = Math.sqrt(6 / 500);
    const rng = new Rng(5);
    for (let i = 0; i < 4; i++) expect(weight[i]).toBe(-a + 2 * a * rng.uniform());
  });

  it('he_uniform: bound sqrt(6/fanIn), variance 2/fanIn, zero bias', () => {
    const { weight, bias } = init('he_uniform');
    const s = stats(weight);
    expect(s.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / FAN_IN));
    expect(s.maxAbs).toBeGreaterThan(0.999 * Math.sqrt(6 / FAN_IN));
    expect(Math.abs(s.variance / (2 / FAN_IN) - 1)).toBeLessThan(0.03);
    expect(Array.from(bias).every((b) => b === 0)).toBe(true);
  });

  it('he_normal: mean 0, variance 2/fanIn, zero bias', () => {
    const { weight, bias } = init('he_normal');
    const s = stats(weight);
    expect(Math.abs(s.mean)).toBeLessThan(5 * Math.sqrt(2 / FAN_IN / weight.length));
    expect(Math.abs(s.variance / (2 / FAN_IN) - 1)).toBeLessThan(0.03);
    expect(Array.from(bias).every((b) => b === 0)).toBe(true);
  });

  it('torch_default: weight and bias both U(-1/sqrt(fanIn), 1/sqrt(fanIn)), bias drawn after the weight', () => {
    const { weight, bias } = init('torch_default', 3);
    const bound = 1 / Math.sqrt(FAN_IN);
    const w = stats(weight);
    expect(w.maxAbs).toBeLessThanOrEqual(bound);
    expect(w.maxAbs).toBeGreaterThan(0.999 * bound);
    expect(Math.abs(w.variance / (bound * bound / 3) - 1)).toBeLessThan(0.03);
    expect(stats(bias).maxAbs).toBeLessThanOrEqual(bound);
    const rng = new Rng(3);
    for (let i = 0; i < weight.length; i++) rng.uniform();
    expect(bias[0]).toBe(-bound + 2 * bound * rng.uniform());
  });

  it('zeros', () => {
    const { weight, bias } = init('zeros');
    expect(stats(weight).maxAbs).toBe(0);
    expect(stats(bias).maxAbs).toBe(0);
  });

  it('in float32 the rounded weights stay inside the float32-rounded bound', () => {
    const weight = new Float32Array(20_000);
    initializeDense('xavier_uniform', weight, new Float32Array(100), 200, 100, new Rng(2));
    const a = Math.fround(Math.sqrt(6 / 300));
    let maxAbs = 0;
    for (const w of weight) maxAbs = Math.max(maxAbs, Math.abs(w));
    expect(maxAbs).toBeLessThanOrEqual(a);
  });

  it('models are reproducible: same seed same parameters, other seed other parameters', () => {
    const config = { type: 'mlp', inputs: 2, hidden: [100], outputs: 3 } as const;
    const a = createModel(config, { seed: 42 }).params['dense0.weight'];
    const b = createModel(config, { rng: new Rng(42) }).params['dense0.weight'];
    const c = createModel(config, { seed: 43 }).params['dense0.weight'];
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });
});
