// The default-configuration loop is a specialization of the general one: same numbers, bit for bit.
// (Both are checked against PyTorch in torch-parity.test.ts; this pins their agreement on larger data.)
import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import { allocate, cloneTensor, type DType, type Tensor } from '../math/tensor.js';
import { isCommonCase, updateCommon, updateGeneral, type AdamStepScalars } from './adam-update.js';

function randomTensor(dtype: DType, n: number, rng: Rng, scale: number): Tensor {
  const t = allocate(dtype, n);
  for (let i = 0; i < n; i++) t[i] = rng.uniformRange(-scale, scale);
  return t;
}

function scalarsAt(t: number, decayFactor: number): AdamStepScalars {
  const lr = 0.01;
  return { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: lr / (1 - 0.9 ** t), bc2Sqrt: Math.sqrt(1 - 0.999 ** t), decayFactor, l2: 0 };
}

describe('Adam update loops', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, decayFactor] of [['adam', 1], ['adamw', 1 - 0.01 * 0.1]] as const) {
      it(`updateCommon equals updateGeneral bit for bit (${name}, ${dtype}, 10 steps, odd length)`, () => {
        const rng = new Rng(3);
        const n = 1001;
        const p = randomTensor(dtype, n, rng, 1);
        const [m, v] = [allocate(dtype, n), allocate(dtype, n)];
        const [p2, m2, v2] = [cloneTensor(p), cloneTensor(m), cloneTensor(v)];
        for (let t = 1; t <= 10; t++) {
          const g = randomTensor(dtype, n, rng, 0.1);
          const s = scalarsAt(t, decayFactor);
          expect(isCommonCase(s, p, m, false)).toBe(true);
          updateCommon(p, g, m, v, s);
          updateGeneral(p2, g, m2, v2, null, s);
        }
        expect(new Uint8Array(p.buffer)).toEqual(new Uint8Array(p2.buffer));
        expect(new Uint8Array(m.buffer)).toEqual(new Uint8Array(m2.buffer));
        expect(new Uint8Array(v.buffer)).toEqual(new Uint8Array(v2.buffer));
      });
    }
  }

  it('leaves L2, AMSGrad, beta1 <= 0.5 and mixed dtypes to the general loop', () => {
    const f32 = new Float32Array(1);
    const f64 = new Float64Array(1);
    expect(isCommonCase({ ...scalarsAt(1, 1), l2: 0.1 }, f32, f32, false)).toBe(false);
    expect(isCommonCase(scalarsAt(1, 1), f32, f32, true)).toBe(false);
    expect(isCommonCase({ ...scalarsAt(1, 1), beta1: 0.5 }, f32, f32, false)).toBe(false);
    expect(isCommonCase(scalarsAt(1, 1), f64, f32, false)).toBe(false);
  });
});
