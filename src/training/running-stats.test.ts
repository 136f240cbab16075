import { describe, expect, it } from 'vitest';
import { Ema, RollingMean } from './running-stats.js';

describe('Ema', () => {
  it('halves an old observation weight after halfLife updates', () => {
    // One 1 then nine 0s with half-life 10: the raw weight of the first observation after 10 updates is
    // (1-d)*d^9 with d = 2^(-1/10); bias correction divides by 1-d^10 = 1/2.
    const ema = new Ema(10);
    ema.update(1);
    for (let i = 0; i < 9; i++) ema.update(0);
    const d = Math.pow(2, -0.1);
    expect(ema.value).toBeCloseTo(((1 - d) * Math.pow(d, 9)) / 0.5, 12);
  });

  it('is unbiased on a constant stream from the first value', () => {
    const ema = new Ema(100);
    ema.update(3);
    expect(ema.value).toBeCloseTo(3, 12);
    ema.update(3);
    expect(ema.value).toBeCloseTo(3, 12);
  });

  it('resumes from its state', () => {
    const a = new Ema(5);
    [1, 2, 3].forEach((v) => a.update(v));
    const b = new Ema(5);
    b.setState(a.getState());
    a.update(10);
    b.update(10);
    expect(b.value).toBe(a.value);
  });
});

describe('RollingMean', () => {
  it('averages only the last window values', () => {
    const m = new RollingMean(3);
    expect(Number.isNaN(m.value)).toBe(true);
    [1, 2, 3, 4, 5].forEach((v) => m.update(v));
    expect(m.value).toBe(4); // (3+4+5)/3
    expect(m.count).toBe(3);
  });

  it('resumes from its state', () => {
    const a = new RollingMean(4);
    [1, 2, 3, 4, 5, 6].forEach((v) => a.update(v));
    const b = new RollingMean(4);
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    a.update(7);
    b.update(7);
    expect(b.value).toBe(a.value);
    expect(b.value).toBe((4 + 5 + 6 + 7) / 4);
  });
});
