import { describe, expect, it } from 'vitest';
import { streamRecords } from './catalogue.js';

describe('regression stream', () => {
  const records = Array.from(streamRecords('regression'));
  const n = records.length;

  it('emits features with the declared means and standard deviations', () => {
    const means = [0, 5, -3, 10, 0, 100, 0.5, -20];
    const sds = [1, 2, 0.5, 5, 1, 30, 0.1, 4];
    for (let j = 0; j < 8; j++) {
      const column = records.map((r) => (r.features as number[])[j]);
      const mean = column.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      // Standard error of the mean is sd / 100 at n = 10,000; of the sd about sd / 141.
      expect(Math.abs(mean - means[j])).toBeLessThan(0.04 * sds[j]);
      expect(Math.abs(sd / sds[j] - 1)).toBeLessThan(0.03);
    }
  });

  it('has the label mean and spread implied by the formula', () => {
    // E[y] = 3 (E sin(2z) = 0, E z1 z2 = 0). Var[y] = sum w^2 (8.23) + 0.25 E sin^2(2z) (0.125)
    // + 0.0625 (z1 z2 term) + 0.25 (noise) + 2 * 1.5 * 0.5 * E[z sin(2z)] (= 0.75 * 2 e^-2 * 2 = 0.406)
    // = 9.074, sd 3.012. Standard errors: 0.03 for the mean, about 0.022 for the sd.
    const labels = records.map((r) => r.label as number);
    const mean = labels.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(labels.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expect(Math.abs(mean - 3)).toBeLessThan(0.12);
    expect(Math.abs(sd - 3.012)).toBeLessThan(0.09);
  });
});
