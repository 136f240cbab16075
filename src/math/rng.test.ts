import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.nextUint32());
    const xb = Array.from({ length: 5 }, () => b.nextUint32());
    const xc = Array.from({ length: 5 }, () => c.nextUint32());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('resumes exactly from getState, including a cached normal deviate', () => {
    const a = new Rng(7);
    a.normal(); // leaves a spare deviate cached
    const snapshot = JSON.parse(JSON.stringify(a.getState()));
    const expected = [a.normal(), a.uniform(), a.int(10), a.normal()];
    const b = Rng.fromState(snapshot);
    expect([b.normal(), b.uniform(), b.int(10), b.normal()]).toEqual(expected);
  });

  it('draws uniforms in [0,1) with the right mean, and normals with mean 0 and variance 1', () => {
    const rng = new Rng(1);
    const n = 200_000;
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u >= 0 && u < 1)) outOfRange++;
      sum += u;
      const z = rng.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(outOfRange).toBe(0);
    // Standard errors: uniform mean 0.29/sqrt(n) ~ 6.5e-4; normal mean 1/sqrt(n) ~ 2.2e-3.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(sumN / n)).toBeLessThan(0.011);
    expect(Math.abs(sumN2 / n - 1)).toBeLessThan(0.02);
  });

  it('int(n) is unbiased over a small range', () => {
    const rng = new Rng(3);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400); // ~4 sigma
  });

  it('permutation contains every index once', () => {
    const p = new Rng(5).permutation(1000);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});
