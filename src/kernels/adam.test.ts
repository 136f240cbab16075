// The kernel on hand-derived steps, in float32 (each expectation is exact in real arithmetic; float32
// rounding of the operations moves it by a few units in the 7th digit). Its bit-for-bit agreement with
// torch's float32 order of operations is checked through Adam in src/optim/adam-simd.test.ts.
import { describe, expect, it } from 'vitest';
import { createAdamKernel, type AdamKernel } from './adam.js';
import { KernelMemory } from './kernel-memory.js';

interface Hyper {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  decayFactor?: number;
  l2?: number;
  amsgrad?: boolean;
}

/** p, m, v (and vmax) in kernel memory, stepped with the given gradients; returns what is in memory. */
function run(p0: number[], grads: number[][], h: Hyper, m0?: number[]) {
  const mem = KernelMemory.create() as KernelMemory;
  const kernel = createAdamKernel(mem) as AdamKernel;
  const n = p0.length;
  const [p, g, m, v] = [0, 1, 2, 3].map(() => mem.allocateFloat32(n) as number);
  const vmax = h.amsgrad ? (mem.allocateFloat32(n) as number) : 0;
  mem.float32(p, n).set(p0);
  if (m0 !== undefined) mem.float32(m, n).set(m0);
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decayFactor = 1, l2 = 0 } = h;
  for (let k = 0; k < grads.length; k++) {
    const t = k + 1;
    mem.float32(g, n).set(grads[k]);
    const stepSize = lr / (1 - beta1 ** t);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    kernel(p, g, m, v, vmax, Math.ceil(n / 4), decayFactor, l2, 1 - beta1, beta2, 1 - beta2, -stepSize, bc2Sqrt, eps);
  }
  return { p: Array.from(mem.float32(p, n)), m: Array.from(mem.float32(m, n)), v: Array.from(mem.float32(v, n)) };
}

describe('Adam kernel (adam.wat)', () => {
  it('bias correction makes the first step lr * sign(g), whatever the scale of g, in every lane', () => {
    // m = (1-b1) g, v = (1-b2) g^2; m/bc1 = g, sqrt(v/bc2) = |g|. Five elements: two vectors, one padded.
    const grads = [1e-6, -3, 250, -0.5, 7];
    const { p } = run([1, 1, 1, 1, 1], [grads], { lr: 0.01, eps: 0 });
    for (let i = 0; i < 5; i++) expect(p[i]).toBeCloseTo(1 - 0.01 * Math.sign(grads[i]), 6);
  });

  it('amsgrad divides by the largest v so far while v itself keeps averaging', () => {
    // b1 = b2 = 0.5, lr 1, eps 0, g = 2 then 0.
    // t1: m 1, v 2, vmax 2, bc 0.5 -> p = -(1/0.5) * 1 / (sqrt(2)/sqrt(0.5)) = -1.
    // t2: m 0.5, v 1, vmax 2, bc 0.75 -> step (0.5/0.75) * sqrt(0.75)/sqrt(2) = sqrt(6)/6
    //     (plain Adam: (0.5/0.75) * sqrt(0.75) = 1/sqrt(3)).
    const h = { lr: 1, beta1: 0.5, beta2: 0.5, eps: 0 };
    const ams = run([0, 0, 0, 0], [[2, 2, 2, 2], [0, 0, 0, 0]], { ...h, amsgrad: true });
    const plain = run([0, 0, 0, 0], [[2, 2, 2, 2], [0, 0, 0, 0]], h);
    expect(ams.p[3]).toBeCloseTo(-1 - Math.sqrt(6) / 6, 6);
    expect(ams.v[3]).toBe(1);
    expect(plain.p[3]).toBeCloseTo(-1 - 1 / Math.sqrt(3), 6);
  });

  it('l2 adds weightDecay * p to the gradient; decayFactor shrinks p before the update (AdamW)', () => {
    // g = 0. Adam L2 0.5: d = 0.5 * 1, first step moves by lr * sign(d) = 0.1 -> 0.9.
    expect(run([1, 1, 1, 1], [[0, 0, 0, 0]], { lr: 0.1, l2: 0.5, eps: 0 }).p[0]).toBeCloseTo(0.9, 6);
    // AdamW: p = 1 * (1 - 0.1 * 0.5) = 0.95 exactly as rounded to float32; m = 0 moves nothing.
    expect(run([1, 1, 1, 1], [[0, 0, 0, 0]], { lr: 0.1, decayFactor: 1 - 0.1 * 0.5 }).p[0]).toBe(Math.fround(0.95));
  });

  it('skips a zero l2, as torch does: an infinite parameter leaves the moments finite', () => {
    // With the L2 term, d = 1 + 0 * Infinity would be NaN. Without it, m = 0.1 * 1 and v = 0.001 * 1 * 1.
    const { p, m, v } = run([Infinity, 0, 0, 0], [[1, 1, 1, 1]], { lr: 0.01 });
    expect([p[0], m[0], v[0]]).toEqual([Infinity, Math.fround(0.1), Math.fround(0.001)]);
  });

  it("uses torch.lerp's second formula for beta1 <= 0.5 with the same result up to rounding", () => {
    // beta1 0.3, weight 0.7, m0 = 1, g = 3: m = 3 - (3 - 1) * (1 - 0.7) = 1 + 0.7 * (3 - 1) = 2.4.
    const { m } = run([0, 0, 0, 0], [[3, 3, 3, 3]], { lr: 0.01, beta1: 0.3 }, [1, 1, 1, 1]);
    expect(m[0]).toBeCloseTo(2.4, 6);
  });
});
