// Every loss and reduction against real PyTorch (test/fixtures/losses_fixtures.py -> losses.json): value,
// unreduced values and the input gradient by autograd, in float64 and float32, including logits of ±1e4,
// probabilities of exactly 0 and 1, class weights, label smoothing, probability targets and kinks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DType, Tensor } from '../math/tensor.js';
import { createLoss } from './registry.js';
import type { LossConfig, LossType } from './types.js';

type Encoded = number | 'Infinity' | '-Infinity' | 'NaN';

interface Case {
  name: string;
  config: LossConfig;
  dtype: DType;
  batchSize: number;
  scores: number[];
  targets: number[];
  value: Encoded;
  values: Encoded[];
  grad: Encoded[];
  /** multiclass_hinge only: torch's own F.multi_margin_loss for the case's reduction ("none": the row sum). */
  multiMarginValue?: number;
}

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/losses.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

// float64: the same operations in the same order as torch, up to libm's last bit and summation order.
// float32: torch rounds every intermediate to float32 while we compute in float64 and round the result.
const TOLERANCE = {
  float64: { rel: 1e-10, abs: 1e-14 },
  float32: { rel: 1e-5, abs: 1e-6 },
} as const;

function decode(v: Encoded): number {
  return typeof v === 'number' ? v : Number(v);
}

function expectClose(actual: number, encoded: Encoded, dtype: DType, what: string): void {
  const expected = decode(encoded);
  if (!Number.isFinite(expected)) {
    expect(actual, what).toBe(expected);
    return;
  }
  const { rel, abs } = TOLERANCE[dtype];
  const err = Math.abs(actual - expected);
  expect(err, `${what}: got ${actual}, torch ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected) + abs);
}

function tensor(values: number[], dtype: DType): Tensor {
  return dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
}

const byType = new Map<LossType, Case[]>();
for (const c of fixture.cases) byType.set(c.config.type, [...(byType.get(c.config.type) ?? []), c]);

describe('losses match PyTorch', () => {
  it('covers every loss type and every reduction, in float64 and float32', () => {
    const seen = new Set(fixture.cases.map((c) => `${c.config.type}/${c.config.reduction}/${c.dtype}`));
    for (const type of byType.keys()) {
      for (const reduction of ['mean', 'sum', 'none']) {
        for (const dtype of ['float64', 'float32']) expect(seen.has(`${type}/${reduction}/${dtype}`)).toBe(true);
      }
    }
    expect([...byType.keys()].sort()).toEqual(
      ['bce', 'bce_with_logits', 'cross_entropy', 'focal', 'mse', 'multiclass_hinge', 'softmax_cross_entropy'],
    );
  });

  for (const [type, cases] of byType) {
    describe(type, () => {
      for (const c of cases) {
        it(c.name, () => {
          const loss = createLoss(c.config);
          const scores = tensor(c.scores, c.dtype);
          const result = loss.compute(scores, c.targets, c.batchSize);
          expectClose(result.value, c.value, c.dtype, 'value');
          expect(result.values?.length).toBe(c.values.length);
          c.values.forEach((v, k) => expectClose(result.values![k], v, c.dtype, `values[${k}]`));
          expect(result.grad.length).toBe(c.grad.length);
          expect(result.grad).toBeInstanceOf(c.dtype === 'float64' ? Float64Array : Float32Array);
          c.grad.forEach((g, k) => expectClose(result.grad[k], g, c.dtype, `grad[${k}]`));
        });
      }
    });
  }
});

describe('multiclass_hinge is C times torch.nn.functional.multi_margin_loss', () => {
  for (const c of fixture.cases.filter((k) => k.multiMarginValue !== undefined)) {
    it(c.name, () => {
      const classes = c.scores.length / c.batchSize;
      const { value } = createLoss(c.config).compute(Float64Array.from(c.scores), c.targets, c.batchSize);
      expectClose(value, classes * c.multiMarginValue!, 'float64', 'value');
    });
  }
});
