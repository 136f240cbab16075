import { describe, expect, it } from 'vitest';
import { streamRecords } from './catalogue.js';
import { drift, driftIndex } from './drift.js';
import type { StreamRecord } from './types.js';

/** Whether the label equals [x1 + x2 > 0] (concept A) or [x1 - x2 > 0] (concept B). */
function follows(record: StreamRecord, concept: 'A' | 'B'): boolean {
  const { x1, x2 } = record.features as Record<string, number>;
  return ((concept === 'A' ? x1 + x2 : x1 - x2) > 0 ? 1 : 0) === record.label;
}

/** Share of records that follow a concept. */
function agreement(records: readonly StreamRecord[], concept: 'A' | 'B'): number {
  let agree = 0;
  for (const record of records) if (follows(record, concept)) agree++;
  return agree / records.length;
}

/**
 * The index k that best explains the labels as concept A on [0, k) and concept B on [k, n): records on
 * which the concepts disagree (half of them) vote, so the estimate lands within a few records of the switch.
 */
function bestSplit(records: readonly StreamRecord[]): number {
  let score = 0;
  for (const record of records) if (follows(record, 'B')) score++;
  let best = 0;
  let bestScore = score;
  for (let k = 1; k <= records.length; k++) {
    const moved = records[k - 1];
    score += (follows(moved, 'A') ? 1 : 0) - (follows(moved, 'B') ? 1 : 0);
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  }
  return best;
}

describe('drift stream', () => {
  it('switches concept at record index 5000 of the default 10,000, as the catalogue says', () => {
    expect(driftIndex(10_000)).toBe(5000);
    expect(drift.info.properties.driftIndex).toBe(5000);
    const records = Array.from(streamRecords('drift'));
    const before = records.slice(0, 5000);
    const after = records.slice(5000);
    // 2% label noise: 98% agreement with the active concept; the other concept agrees on half the
    // plane (the boundaries are perpendicular), so 0.98 * 0.5 + 0.02 * 0.5 = 50%, binomial sd 0.7%.
    expect(agreement(before, 'A')).toBeGreaterThan(0.97);
    expect(agreement(after, 'B')).toBeGreaterThan(0.97);
    expect(Math.abs(agreement(before, 'B') - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(agreement(after, 'A') - 0.5)).toBeLessThan(0.03);
  });

  it.each([10_000, 1001])('locates the switch, read back from %i records alone, at floor(records / 2)', (count) => {
    const records = Array.from(streamRecords('drift', { records: count }));
    expect(bestSplit(records)).toBeGreaterThanOrEqual(driftIndex(count) - 10);
    expect(bestSplit(records)).toBeLessThanOrEqual(driftIndex(count) + 10);
  });
});
