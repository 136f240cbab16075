// Adam on the WebAssembly SIMD kernel: which tensors take it, and that it computes torch's float32 order
// of operations (adam.wat) exactly, across chunks, the padded tail, every option and a memory grow.
// The reference below is that order written out per element, each operation rounded with Math.fround
// (a float32 operation computed in double and rounded once is the float32 operation, bit for bit).
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { Rng } from '../math/rng.js';
import type { Tensor } from '../math/tensor.js';
import { Adam, type AdamConfig } from './adam.js';

const f = Math.fround;

interface Moments {
  m: Float32Array;
  v: Float32Array;
  vmax: Float32Array | null;
}

function freshMoments(n: number, amsgrad: boolean): Moments {
  return { m: new Float32Array(n), v: new Float32Array(n), vmax: amsgrad ? new Float32Array(n) : null };
}

/** Step t of torch.optim.Adam's single-tensor path on float32 tensors, without FMA contraction. */
function referenceStep(config: AdamConfig, p: Float32Array, g: Float32Array, s: Moments, t: number): void {
  const lr = config.lr as number;
  const [beta1, beta2] = config.betas ?? [0.9, 0.999];
  const decoupled = config.type === 'adamw';
  const weightDecay = config.weightDecay ?? (decoupled ? 1e-2 : 0);
  const weight = f(1 - beta1);
  const fromStart = Math.abs(weight) < 0.5;
  const coeff = fromStart ? weight : f(weight - 1);
  const decay = f(decoupled ? 1 - lr * weightDecay : 1);
  const l2 = decoupled ? 0 : f(weightDecay);
  const negStepSize = f(-(lr / (1 - beta1 ** t)));
  const bc2Sqrt = f(Math.sqrt(1 - beta2 ** t));
  const eps = f(config.eps ?? 1e-8);
  for (let i = 0; i < p.length; i++) {
    const param = f(p[i] * decay);
    const d = l2 !== 0 ? f(g[i] + f(l2 * param)) : g[i];
    s.m[i] = f((fromStart ? s.m[i] : d) + f(coeff * f(d - s.m[i])));
    s.v[i] = f(f(s.v[i] * f(beta2)) + f(f(f(1 - beta2) * d) * d));
    let second = s.v[i];
    if (s.vmax !== null) second = s.vmax[i] = Math.max(s.vmax[i], second);
    p[i] = f(param + f(f(negStepSize * s.m[i]) / f(f(f(Math.sqrt(second)) / bc2Sqrt) + eps)));
  }
}

function random(n: number, rng: Rng, scale: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniformRange(-scale, scale);
  return out;
}

/** -1 when `actual` and `expected` hold the same bits (NaN payloads and -0 included), else the first index that differs. */
function firstDifference(actual: Tensor, expected: Tensor): number {
  expect(actual.length).toBe(expected.length);
  const width = actual.BYTES_PER_ELEMENT;
  const a = new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return Math.floor(i / width);
  return -1;
}

const CONFIGS: AdamConfig[] = [
  { type: 'adam', lr: 1e-3 },
  { type: 'adamw', lr: 1e-2 },
  { type: 'adam', lr: 1e-2, weightDecay: 0.1, amsgrad: true },
  { type: 'adam', lr: 1e-2, betas: [0.3, 0.9], eps: 1e-6 },
  { type: 'adamw', lr: 1e-2, weightDecay: 0.1, amsgrad: true },
];

// Two whole chunks of 16384 and a tail of 5: one whole f32x4 vector and one padded one.
const N = 2 * 16384 + 5;

describe('Adam on the WebAssembly SIMD kernel', () => {
  for (const config of CONFIGS) {
    it(`computes torch's float32 order of operations bit for bit (${JSON.stringify(config)}, 12 steps)`, () => {
      const rng = new Rng(7);
      const p = random(N, rng, 1);
      const expected = Float32Array.from(p);
      const moments = freshMoments(N, config.amsgrad ?? false);
      const adam = new Adam(config, { simdMinLength: 0 });
      for (let t = 1; t <= 12; t++) {
        const g = random(N, rng, 0.1);
        adam.step({ w: p }, { w: g });
        referenceStep(config, expected, g, moments, t);
      }
      expect(firstDifference(p, expected)).toBe(-1);
      const slots = adam.getState().slots;
      expect(firstDifference(slots['w/exp_avg'], moments.m)).toBe(-1);
      expect(firstDifference(slots['w/exp_avg_sq'], moments.v)).toBe(-1);
      if (moments.vmax !== null) expect(firstDifference(slots['w/max_exp_avg_sq'], moments.vmax)).toBe(-1);
    });
  }

  it('takes float32 tensors from simdMinLength elements up; smaller ones and float64 ones take the JS loops', () => {
    const config: AdamConfig = { type: 'adam', lr: 1e-2 };
    const rng = new Rng(11);
    const params = { small: random(99, rng, 1), large: random(100, rng, 1), double: Float64Array.from(random(300, rng, 1)) };
    const jsParams = { small: Float32Array.from(params.small), double: Float64Array.from(params.double) };
    const expectedLarge = Float32Array.from(params.large);
    const moments = freshMoments(100, false);
    const adam = new Adam(config, { simdMinLength: 100 });
    const js = new Adam(config, { simdMinLength: Infinity });
    for (let t = 1; t <= 5; t++) {
      const double = Float64Array.from(random(300, rng, 0.1));
      const grads = { small: random(99, rng, 0.1), large: random(100, rng, 0.1), double };
      adam.step(params, grads);
      js.step(jsParams, { small: grads.small, double: grads.double });
      referenceStep(config, expectedLarge, grads.large, moments, t);
    }
    expect(firstDifference(params.small, jsParams.small)).toBe(-1);
    expect(firstDifference(params.double, jsParams.double)).toBe(-1);
    expect(firstDifference(params.large, expectedLarge)).toBe(-1);
  });

  it('keeps every resident tensor exact when a later parameter makes the memory grow', () => {
    const config: AdamConfig = { type: 'adam', lr: 1e-2 };
    const rng = new Rng(5);
    const first = random(N, rng, 1);
    const expectedFirst = Float32Array.from(first);
    const firstMoments = freshMoments(N, false);
    const adam = new Adam(config, { simdMinLength: 0 });
    for (let t = 1; t <= 3; t++) {
      const g = random(N, rng, 0.1);
      adam.step({ first }, { first: g });
      referenceStep(config, expectedFirst, g, firstMoments, t);
    }
    // 300k elements need 3.6 MB of moments: more pages than the first tensor's memory has.
    const second = random(300_000, rng, 1);
    const expectedSecond = Float32Array.from(second);
    const secondMoments = freshMoments(second.length, false);
    for (let t = 4; t <= 6; t++) {
      const grads = { first: random(N, rng, 0.1), second: random(second.length, rng, 0.1) };
      adam.step({ first, second }, grads);
      referenceStep(config, expectedFirst, grads.first, firstMoments, t);
      // The step count is the optimizer's: the late parameter's first step has t = 4.
      referenceStep(config, expectedSecond, grads.second, secondMoments, t);
    }
    expect(firstDifference(first, expectedFirst)).toBe(-1);
    expect(firstDifference(second, expectedSecond)).toBe(-1);
  });

  it('cuts its views again when a step passes other arrays for the same parameter', () => {
    const config: AdamConfig = { type: 'adamw', lr: 1e-2 };
    const rng = new Rng(9);
    const expected = random(N, rng, 1);
    const moments = freshMoments(N, false);
    const adam = new Adam(config, { simdMinLength: 0 });
    let p = Float32Array.from(expected);
    for (let t = 1; t <= 4; t++) {
      const g = random(N, rng, 0.1);
      adam.step({ w: p }, { w: g });
      referenceStep(config, expected, g, moments, t);
      p = Float32Array.from(p);
    }
    expect(firstDifference(p, expected)).toBe(-1);
  });

  it('continues from its resident moments when the parameter is stepped as float64 from then on', () => {
    const config: AdamConfig = { type: 'adam', lr: 1e-2 };
    const rng = new Rng(13);
    const p32 = random(1000, rng, 1);
    const g32 = random(1000, rng, 0.1);
    // `twin` takes the same float32 steps and hands its state to `js`; `simd` itself is never synced
    // by a getState, so only its own eviction can bring its moments back to the JS loops.
    const simd = new Adam(config, { simdMinLength: 0 });
    const twin = new Adam(config, { simdMinLength: 0 });
    const js = new Adam(config, { simdMinLength: Infinity });
    const p32twin = Float32Array.from(p32);
    for (let t = 0; t < 3; t++) {
      simd.step({ w: p32 }, { w: g32 });
      twin.step({ w: p32twin }, { w: g32 });
    }
    js.setState(twin.getState());
    const p64 = Float64Array.from(p32);
    const p64js = Float64Array.from(p32);
    const g64 = Float64Array.from(g32);
    simd.step({ w: p64 }, { w: g64 });
    js.step({ w: p64js }, { w: g64 });
    expect(firstDifference(p64, p64js)).toBe(-1);
  });

  it('rejects a negative or NaN simdMinLength, naming the option', () => {
    expect(() => new Adam({ type: 'adam' }, { simdMinLength: -1 })).toThrow(ConfigError);
    const nan = () => new Adam({ type: 'adam' }, { simdMinLength: NaN });
    expect(nan).toThrow('simdMinLength = NaN is invalid: must be a number >= 0');
  });
});
