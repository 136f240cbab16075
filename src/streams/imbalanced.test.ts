import { describe, expect, it } from 'vitest';
import { streamRecords } from './catalogue.js';

describe('imbalanced stream', () => {
  const records = Array.from(streamRecords('imbalanced'));
  const positives = records.filter((r) => r.label === 1);

  it('has about one positive per 50 negatives', () => {
    // n = 20,000 at p = 1/51: mean 392.2, binomial sd sqrt(n p (1 - p)) = 19.6; 4 sd of slack.
    expect(records).toHaveLength(20_000);
    expect(Math.abs(positives.length - 20_000 / 51)).toBeLessThan(4 * 19.6);
    expect(records.every((r) => r.label === 0 || r.label === 1)).toBe(true);
  });

  it('puts the positives in a small cluster around (2, 2, 0, 0) and the negatives around 0', () => {
    // Standard error of a cluster mean: 0.8 / sqrt(392) = 0.04 for positives, 1 / sqrt(19,600) = 0.007 for negatives.
    const mean = (rows: typeof records, j: number): number =>
      rows.reduce((sum, r) => sum + (r.features as number[])[j], 0) / rows.length;
    const negatives = records.filter((r) => r.label === 0);
    const expectedPositive = [2, 2, 0, 0];
    for (let j = 0; j < 4; j++) {
      expect(Math.abs(mean(positives, j) - expectedPositive[j])).toBeLessThan(0.2);
      expect(Math.abs(mean(negatives, j))).toBeLessThan(0.04);
    }
  });
});
