import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import type { DType, ParamMap } from '../math/tensor.js';
import { clipGradNorm, globalGradNorm } from './clip.js';

interface ClipCase {
  name: string;
  dtype: DType;
  max_norm: number;
  grads: Record<string, number[]>;
  /** torch.nn.utils.clip_grad_norm_'s return value: the norm before clipping. */
  total_norm: number;
  clipped: Record<string, number[]>;
}

const cases = (
  JSON.parse(readFileSync(new URL('../../test/fixtures/optim.json', import.meta.url), 'utf8')) as {
    clip_grad_norm: ClipCase[];
  }
).clip_grad_norm;

function toMap(values: Record<string, number[]>, dtype: DType): ParamMap {
  const out: ParamMap = {};
  for (const name of Object.keys(values)) {
    out[name] = dtype === 'float64' ? Float64Array.from(values[name]) : Float32Array.from(values[name]);
  }
  return out;
}

describe('clipGradNorm matches torch.nn.utils.clip_grad_norm_', () => {
  for (const c of cases) {
    it(`${c.name}: returns the pre-clip global norm and scales by maxNorm / (norm + 1e-6)`, () => {
      // float32: torch accumulates the norm in float32, this code in doubles.
      const rel = c.dtype === 'float64' ? 1e-14 : 1e-6;
      const grads = toMap(c.grads, c.dtype);
      const total = clipGradNorm(grads, c.max_norm);
      expect(Math.abs(total - c.total_norm)).toBeLessThanOrEqual(rel * c.total_norm);
      for (const name of Object.keys(grads)) {
        const expected = c.clipped[name];
        for (let i = 0; i < expected.length; i++) {
          expect(Math.abs(grads[name][i] - expected[i]), `${name}[${i}]`).toBeLessThanOrEqual(rel * Math.abs(expected[i]));
        }
      }
    });
  }

  it('leaves gradients below the limit untouched, to the bit', () => {
    // ||(0.3, 0.4)|| = 0.5 <= 1.
    const g = { w: new Float64Array([0.3, 0.4]) };
    expect(clipGradNorm(g, 1)).toBeCloseTo(0.5, 15);
    expect(Array.from(g.w)).toEqual([0.3, 0.4]);
  });

  it('does not scale a non-finite norm (the caller rejects that batch)', () => {
    const g = { w: new Float64Array([Infinity, 1]) };
    expect(clipGradNorm(g, 1)).toBe(Infinity);
    expect(Array.from(g.w)).toEqual([Infinity, 1]);
  });

  it('rejects a maxNorm that is not positive', () => {
    expect(() => clipGradNorm({}, 0)).toThrow(new ConfigError('clipGradNorm.maxNorm = 0 is invalid: must be > 0'));
  });
});

describe('globalGradNorm', () => {
  it('is the L2 norm of all tensors as one vector (by hand), from a map or from its tensors as a list', () => {
    // 3-4-5 and 12: sqrt(9 + 16 + 144) = 13.
    const grads: ParamMap = { weight: new Float32Array([3, 4]), bias: new Float32Array([12]) };
    expect(globalGradNorm(grads)).toBe(13);
    expect(globalGradNorm([grads.weight, grads.bias])).toBe(13);
  });

  it('gives the same bits from the list as from the map, whatever the lengths', () => {
    for (const lengths of [[1], [5, 1], [30, 1], [7, 3, 9]]) {
      const grads: ParamMap = {};
      lengths.forEach((n, t) => (grads[`p${t}`] = Float32Array.from({ length: n }, (_, i) => Math.sin(7 * t + i) / 3)));
      expect(Object.is(globalGradNorm(Object.values(grads)), globalGradNorm(grads))).toBe(true);
    }
  });
});

describe('clipGradNorm on the tensors as a list', () => {
  it('clips them in place exactly as it clips the map they come from', () => {
    // Norm 13 (3, 4, 12) clipped to 1: each value times 1 / (13 + 1e-6).
    const fromMap: ParamMap = { weight: new Float32Array([3, 4]), bias: new Float32Array([12]) };
    const fromList: ParamMap = { weight: new Float32Array([3, 4]), bias: new Float32Array([12]) };
    expect(clipGradNorm([fromList.weight, fromList.bias], 1)).toBe(clipGradNorm(fromMap, 1));
    expect(Array.from(fromList.weight)).toEqual(Array.from(fromMap.weight));
    expect(Array.from(fromList.bias)).toEqual(Array.from(fromMap.bias));
    expect(fromList.bias[0]).toBeCloseTo(12 / (13 + 1e-6), 6);
  });
});
