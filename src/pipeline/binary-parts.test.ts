import { describe, expect, it } from 'vitest';
import { PendingParts } from './binary-parts.js';

const kafka = (offset: string) => ({ kind: 'kafka', topic: 't', partition: 0, offset }) as const;

describe('PendingParts', () => {
  it('reports a record done at its last part, whatever order the parts finish in', () => {
    const parts = new PendingParts();
    const origin = kafka('5');
    const done = [2, 0, 1].map((index) => parts.done(origin, { index, count: 3 }));
    expect(done).toEqual([false, false, true]);
    expect(parts.recordsInFlight).toBe(0);
  });

  it('counts each record (origin object) apart, and forgets a record once done', () => {
    const parts = new PendingParts();
    const [a, b] = [kafka('5'), kafka('6')];
    expect(parts.done(a, { index: 0, count: 2 })).toBe(false);
    expect(parts.done(b, { index: 1, count: 2 })).toBe(false);
    expect(parts.recordsInFlight).toBe(2);
    expect(parts.done(a, { index: 1, count: 2 })).toBe(true);
    expect(parts.recordsInFlight).toBe(1);
    expect(parts.done(b, { index: 0, count: 2 })).toBe(true);
    expect(parts.recordsInFlight).toBe(0);
  });
});
