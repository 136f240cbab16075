// The float32 Adam/AdamW trajectories of torch-parity.test.ts (test/fixtures/optim.json: 50 steps of real
// PyTorch, fed torch's recorded gradients) run through the WebAssembly SIMD kernel, with the same
// tolerances; and checkpoints of an optimizer whose moments live in WebAssembly memory.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import type { DType, ParamMap, Tensor } from '../math/tensor.js';
import { Adam, type AdamConfig } from './adam.js';
import type { OptimizerState } from './types.js';

interface Trajectory {
  name: string;
  dtype: DType;
  config: AdamConfig;
  initial: Record<string, number[]>;
  grads: Record<string, number[]>[];
  params: Record<string, number[]>[];
  final_slots: Record<string, number[]>;
  effective_lr: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/optim.json', import.meta.url), 'utf8')) as {
  trajectories: Trajectory[];
};
const float32Adam = fixture.trajectories.filter(
  (tr) => tr.dtype === 'float32' && (tr.config.type === 'adam' || tr.config.type === 'adamw'),
);

// torch-parity.test.ts's float32 bound.
const TOLERANCE = { rel: 1e-5, abs: 1e-6 };

function toMap(values: Record<string, number[]>): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const name of Object.keys(values)) out[name] = Float32Array.from(values[name]);
  return out;
}

/** Largest violation of |a - e| <= rel*|e| + abs, as a multiple of the allowance (<= 1 passes). */
function worstRatio(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const ratio = Math.abs(actual[i] - expected[i]) / (TOLERANCE.rel * Math.abs(expected[i]) + TOLERANCE.abs);
    if (!(ratio <= worst)) worst = ratio;
  }
  return worst;
}

function sameBits(a: Tensor, b: Tensor): boolean {
  const bytes = (t: Tensor) => new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
  return a.length === b.length && Buffer.compare(bytes(a), bytes(b)) === 0;
}

function sameState(a: OptimizerState, b: OptimizerState): boolean {
  const keys = Object.keys(a.slots);
  const sameKeys = keys.join() === Object.keys(b.slots).join();
  return a.step === b.step && sameKeys && keys.every((k) => sameBits(a.slots[k], b.slots[k]));
}

describe('float32 Adam trajectories through the SIMD kernel match PyTorch', () => {
  it('covers every float32 Adam and AdamW trajectory of the fixture', () => {
    // adam, amsgrad, L2, beta1 < 0.5 (lerp's second formula), AdamW, AdamW + AMSGrad, a cosine schedule.
    expect(float32Adam.length).toBe(7);
  });

  for (const tr of float32Adam) {
    it(`${tr.name}: 50 steps of parameters, then slots and effective lr`, () => {
      const opt = new Adam(tr.config, { simdMinLength: 0 });
      const params = toMap(tr.initial);
      for (let k = 0; k < tr.grads.length; k++) {
        opt.step(params, toMap(tr.grads[k]));
        for (const name of Object.keys(params)) {
          expect(worstRatio(params[name], tr.params[k][name]), `${name} after step ${k + 1}`).toBeLessThanOrEqual(1);
        }
      }
      const slots = opt.getState().slots;
      expect(Object.keys(slots).sort()).toEqual(Object.keys(tr.final_slots).sort());
      for (const key of Object.keys(tr.final_slots)) {
        expect(worstRatio(slots[key], tr.final_slots[key]), key).toBeLessThanOrEqual(1);
      }
      const elr = opt.effectiveLearningRates();
      for (const name of Object.keys(tr.effective_lr)) {
        expect(worstRatio(elr[name], tr.effective_lr[name]), `effective lr of ${name}`).toBeLessThanOrEqual(1);
      }
    });
  }
});

describe('checkpoints of resident moments', () => {
  const config: AdamConfig = { type: 'adamw', lr: 1e-2, weightDecay: 0.1, amsgrad: true };
  const N = 40_000;

  function trained(steps: number, seed: number): { opt: Adam; params: ParamMap; rng: Rng } {
    const rng = new Rng(seed);
    const params: ParamMap = { w: new Float32Array(N), b: new Float32Array(7) };
    for (const name in params) for (let i = 0; i < params[name].length; i++) params[name][i] = rng.uniformRange(-1, 1);
    const opt = new Adam(config, { simdMinLength: 0 });
    for (let t = 0; t < steps; t++) opt.step(params, grads(rng));
    return { opt, params, rng };
  }

  function grads(rng: Rng): ParamMap {
    const g: ParamMap = { w: new Float32Array(N), b: new Float32Array(7) };
    for (const name in g) for (let i = 0; i < g[name].length; i++) g[name][i] = rng.uniformRange(-0.1, 0.1);
    return g;
  }

  it('getState copies the moments out: equal twice in a row, and unchanged by later steps', () => {
    const { opt, params, rng } = trained(5, 1);
    const first = opt.getState();
    expect(sameState(opt.getState(), first)).toBe(true);
    const kept = Float32Array.from(first.slots['w/exp_avg']);
    opt.step(params, grads(rng));
    expect(sameBits(first.slots['w/exp_avg'], kept)).toBe(true);
    expect(sameBits(opt.getState().slots['w/exp_avg'], kept)).toBe(false);
  });

  it('setState into a fresh optimizer continues bit-identically', () => {
    const straight = trained(10, 2);
    const resumed = trained(5, 2);
    const restored = new Adam(config, { simdMinLength: 0 });
    restored.setState(resumed.opt.getState());
    for (let t = 5; t < 10; t++) restored.step(resumed.params, grads(resumed.rng));
    for (const name in straight.params) expect(sameBits(resumed.params[name], straight.params[name]), name).toBe(true);
    expect(sameState(restored.getState(), straight.opt.getState())).toBe(true);
  });

  it('setState replaces moments that are already resident', () => {
    const target = trained(3, 3);
    const other = trained(8, 4);
    // `other` has resident moments of its own; after setState it must continue as `target` does.
    other.opt.setState(target.opt.getState());
    const params = { w: Float32Array.from(target.params.w), b: Float32Array.from(target.params.b) };
    const g = grads(target.rng);
    target.opt.step(target.params, g);
    other.opt.step(params, g);
    expect(sameBits(params.w, target.params.w)).toBe(true);
    expect(sameState(other.opt.getState(), target.opt.getState())).toBe(true);
  });

  it('effectiveLearningRates reads the resident moments', () => {
    // Same state, so the same effective lr, whether the moments are resident or in the base class's slots.
    // Read before any getState, which would sync the slots on its own.
    const { opt } = trained(4, 5);
    const rates = opt.effectiveLearningRates();
    const actual = { w: Float32Array.from(rates.w), b: Float32Array.from(rates.b) };
    const js = new Adam(config, { simdMinLength: Infinity });
    js.setState(opt.getState());
    const expected = js.effectiveLearningRates();
    for (const name of ['w', 'b'] as const) expect(sameBits(actual[name], expected[name]), name).toBe(true);
  });
});
