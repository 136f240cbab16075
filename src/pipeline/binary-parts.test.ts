import { describe, expect, it } from 'vitest';
import { PendingParts } from './binary-parts.js';

const kafka = (offset: string, topic = 't') => ({ kind: 'kafka', topic, partition: 0, offset }) as const;

describe('PendingParts', () => {
  it('reports a record done at its last part, whatever order the parts finish in', () => {
    const parts = new PendingParts();
    const done = [2, 0, 1].map((index) => parts.done(kafka('5'), { index, count: 3 }));
    expect(done).toEqual([false, false, true]);
    expect(parts.recordsInFlight).toBe(0);
  });

  it('counts records apart by origin value: copied origins meet, other offsets and topics do not', () => {
    const parts = new PendingParts();
    expect(parts.done(kafka('5'), { index: 0, count: 2 })).toBe(false);
    expect(parts.done(kafka('6'), { index: 0, count: 2 })).toBe(false);
    expect(parts.done(kafka('5', 't2'), { index: 0, count: 2 })).toBe(false);
    expect(parts.recordsInFlight).toBe(3);
    expect(parts.done({ ...kafka('5') }, { index: 1, count: 2 })).toBe(true);
    expect(parts.done({ kind: 'file', path: 'a.jsonl', line: 5 }, { index: 0, count: 2 })).toBe(false);
    expect(parts.done({ kind: 'memory', index: 5 }, { index: 0, count: 2 })).toBe(false);
    expect(parts.recordsInFlight).toBe(4);
  });
});
