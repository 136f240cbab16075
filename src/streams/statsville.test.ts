import { describe, expect, it } from 'vitest';
import { streamRecords } from './catalogue.js';
import { statsville } from './statsville.js';

interface Resident {
  heightCm: number;
  weightKg: number;
  cls: number;
  id: string;
}

const residents: Resident[] = Array.from(streamRecords('statsville'), (record) => {
  const features = record.features as Record<string, number>;
  return {
    heightCm: features.height_cm,
    weightKg: features.weight_kg,
    cls: statsville.info.classes.indexOf(record.label as string),
    id: record.id as string,
  };
});

describe('statsville stream', () => {
  it('holds 10,000 residents with ids sv-0 .. sv-9999 in order', () => {
    expect(residents).toHaveLength(10_000);
    expect(residents.every((r, i) => r.id === `sv-${i}`)).toBe(true);
  });

  it('draws classes near the priors 0.35 / 0.35 / 0.30', () => {
    // Binomial standard deviation at n = 10,000 is at most 0.005; 4 sd of slack.
    const counts = [0, 0, 0];
    for (const r of residents) counts[r.cls]++;
    expect(Math.abs(counts[0] / 10_000 - 0.35)).toBeLessThan(0.02);
    expect(Math.abs(counts[1] / 10_000 - 0.35)).toBeLessThan(0.02);
    expect(Math.abs(counts[2] / 10_000 - 0.3)).toBeLessThan(0.02);
  });

  it('keeps values plausible and rounded to 0.1', () => {
    const oneDecimal = /^\d+(\.\d)?$/;
    const implausible = residents.filter(
      (r) =>
        !(r.heightCm >= 80 && r.heightCm < 230 && r.weightKg > 5 && r.weightKg < 160) ||
        !oneDecimal.test(String(r.heightCm)) ||
        !oneDecimal.test(String(r.weightKg)),
    );
    expect(implausible).toEqual([]);
  });

  it('is separable enough that nearest centroid on standardized features scores over 90%', () => {
    const n = residents.length;
    let meanH = 0;
    let meanW = 0;
    for (const r of residents) {
      meanH += r.heightCm / n;
      meanW += r.weightKg / n;
    }
    let varH = 0;
    let varW = 0;
    for (const r of residents) {
      varH += (r.heightCm - meanH) ** 2 / n;
      varW += (r.weightKg - meanW) ** 2 / n;
    }
    const z = (r: Resident): [number, number] => [(r.heightCm - meanH) / Math.sqrt(varH), (r.weightKg - meanW) / Math.sqrt(varW)];
    const centroids = [0, 1, 2].map(() => ({ h: 0, w: 0, count: 0 }));
    for (const r of residents) {
      const [h, w] = z(r);
      centroids[r.cls].h += h;
      centroids[r.cls].w += w;
      centroids[r.cls].count++;
    }
    let correct = 0;
    for (const r of residents) {
      const [h, w] = z(r);
      let best = -1;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let c = 0; c < 3; c++) {
        const d = (h - centroids[c].h / centroids[c].count) ** 2 + (w - centroids[c].w / centroids[c].count) ** 2;
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      if (best === r.cls) correct++;
    }
    expect(correct / n).toBeGreaterThan(0.9);
  });
});
