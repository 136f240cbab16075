import { describe, expect, it } from 'vitest';
import { TensorSummarizer } from './tensor-stats.js';

describe('TensorSummarizer', () => {
  it('gives min, mean, max and linearly interpolated quantiles (numpy "linear")', () => {
    const summarizer = new TensorSummarizer([0.5, 0.9, 0.25]);
    const stats = summarizer.createStats();
    summarizer.summarize(new Float32Array([4, 1, 3, 2]), stats);
    // Sorted 1 2 3 4, n = 4: q=0.5 -> h=1.5 -> 2 + 0.5*(3-2) = 2.5; q=0.9 -> h=2.7 -> 3 + 0.7*(4-3) = 3.7;
    // q=0.25 -> h=0.75 -> 1 + 0.75*(2-1) = 1.75 (numpy.quantile([1,2,3,4], [.5,.9,.25]) = [2.5, 3.7, 1.75]).
    expect([stats.min, stats.mean, stats.max]).toEqual([1, 2.5, 4]);
    expect(stats.quantiles[0]).toBe(2.5);
    expect(stats.quantiles[1]).toBeCloseTo(3.7, 14);
    expect(stats.quantiles[2]).toBe(1.75);
  });

  it('reuses its scratch buffer across tensors of different sizes without mixing them up', () => {
    const summarizer = new TensorSummarizer([0.5]);
    const big = summarizer.createStats();
    const small = summarizer.createStats();
    summarizer.summarize(new Float64Array([10, 30, 20, 50, 40]), big);
    summarizer.summarize(new Float64Array([7, 5]), small);
    // Medians: 30 of five values; 5 + 0.5*(7-5) = 6 of two, untouched by the five larger values left in the scratch.
    expect(big.quantiles[0]).toBe(30);
    expect(small.quantiles[0]).toBe(6);
    expect([small.min, small.mean, small.max]).toEqual([5, 6, 7]);
  });

  it('gives every quantile as the value of a one-element tensor, and NaN for an empty one', () => {
    const summarizer = new TensorSummarizer([0.1, 0.9]);
    const stats = summarizer.createStats();
    summarizer.summarize(new Float32Array([0.5]), stats);
    expect([stats.min, stats.mean, stats.max, ...stats.quantiles]).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    summarizer.summarize(new Float32Array(0), stats);
    expect([stats.min, stats.mean, stats.max, ...stats.quantiles].every(Number.isNaN)).toBe(true);
  });

  it('summarizes min, mean and max alone when no quantile is asked for', () => {
    const summarizer = new TensorSummarizer([]);
    const stats = summarizer.createStats();
    summarizer.summarize(new Float32Array([2, -1, 5]), stats);
    expect([stats.min, stats.mean, stats.max, stats.quantiles.length]).toEqual([-1, 2, 5, 0]);
  });
});
