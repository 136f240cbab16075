/**
 * Forward and backward against real PyTorch (test/fixtures/model_fixtures.py): each case loads torch's
 * parameters, runs the fixture batch, and feeds torch's d(loss)/d(outputs) to backward.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../math/tensor.js';
import { createModel } from './registry.js';
import type { ModelConfig } from './types.js';

interface Case {
  name: string;
  dtype: 'float32' | 'float64';
  config: ModelConfig;
  batchSize: number;
  params: Record<string, number[]>;
  x: number[];
  outputs: number[];
  gradOutputs: number[];
  grads: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/model.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

const TOLERANCE = {
  float64: { relative: 1e-10, absolute: 0 },
  float32: { relative: 1e-5, absolute: 1e-6 },
};

function expectMatches(label: string, actual: Tensor, expected: number[], dtype: Case['dtype']): void {
  const { relative, absolute } = TOLERANCE[dtype];
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (error > absolute + relative * Math.abs(expected[i])) {
      expect.fail(`${label}[${i}]: got ${actual[i]}, torch ${expected[i]} (error ${error})`);
    }
  }
}

function typed(dtype: Case['dtype'], values: number[]): Tensor {
  return dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
}

describe('model matches PyTorch', () => {
  it('covers the chapter classifier in both dtypes', () => {
    const names = fixture.cases.map((c) => `${c.name} ${c.dtype}`);
    expect(names).toContain('chapter 2-100-3 relu float64');
    expect(names).toContain('chapter 2-100-3 linear (no activation) float32');
  });

  for (const c of fixture.cases) {
    it(`${c.name} (${c.dtype}): outputs and every parameter gradient`, () => {
      const model = createModel(c.config);
      expect(Object.keys(model.params)).toEqual(Object.keys(c.params));
      model.setParameters(c.params);
      const x = typed(c.dtype, c.x);

      const outputs = model.forward(x, c.batchSize, { training: true });
      expect(outputs).toBeInstanceOf(c.dtype === 'float64' ? Float64Array : Float32Array);
      expectMatches('outputs', outputs, c.outputs, c.dtype);
      expectMatches('predict', model.predict(x, c.batchSize), c.outputs, c.dtype);

      const grads = model.backward(typed(c.dtype, c.gradOutputs));
      expect(Object.keys(grads)).toEqual(Object.keys(c.grads));
      for (const [name, expected] of Object.entries(c.grads)) expectMatches(name, grads[name], expected, c.dtype);
    });
  }
});
