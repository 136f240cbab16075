import { describe, expect, it } from 'vitest';
import { ProgressBar, renderProgress } from './progress.js';

describe('renderProgress', () => {
  it('shows bar, counts, rate, quality and eta for a run of known length', () => {
    const line = renderProgress('training', { done: 2500, total: 10000, loss: 0.5, accuracy: 0.9, rmse: null, rejected: 3 }, 2);
    // 2,500 of 10,000 = 25% → 5 of 20 cells; 1,250 samples/s; 7,500 left at that rate = 6 s.
    expect(line).toBe('training   █████░░░░░░░░░░░░░░░   25%  2,500/10,000  1,250 samples/s  loss 0.5000  acc 0.900  rejected 3  eta 6s');
  });

  it('omits the bar and eta for an open-ended stream', () => {
    const line = renderProgress('training', { done: 42, total: null, loss: null, accuracy: null, rmse: 1.5, rejected: 0 }, 1);
    expect(line).toBe('training   42  42 samples/s  rmse 1.500');
  });
});

describe('ProgressBar', () => {
  it('draws nothing on a non-TTY stream', () => {
    const written: string[] = [];
    const bar = new ProgressBar({ label: 't', stream: { isTTY: false, write: (s: string) => written.push(s) > 0 } });
    bar.update({ done: 1, total: 2, loss: null, accuracy: null, rmse: null, rejected: 0 });
    bar.finish({ done: 2, total: 2, loss: null, accuracy: null, rmse: null, rejected: 0 });
    expect(written).toEqual([]);
  });

  it('draws nothing on a TTY when told not to (--no-progress)', () => {
    const written: string[] = [];
    const bar = new ProgressBar({ label: 't', stream: { isTTY: true, write: (s: string) => written.push(s) > 0 }, force: false });
    bar.finish({ done: 2, total: 2, loss: null, accuracy: null, rmse: null, rejected: 0 });
    expect(written).toEqual([]);
  });

  it('is active only when it draws: on a TTY, or when forced', () => {
    const stream = (isTTY: boolean) => ({ isTTY, write: () => true });
    expect(new ProgressBar({ label: 't', stream: stream(false) }).active).toBe(false);
    expect(new ProgressBar({ label: 't', stream: stream(true), force: false }).active).toBe(false);
    expect(new ProgressBar({ label: 't', stream: stream(true) }).active).toBe(true);
    expect(new ProgressBar({ label: 't', stream: stream(false), force: true }).active).toBe(true);
  });

  it('names its unit in the rate', () => {
    expect(renderProgress('replaying', { done: 10, total: null, loss: null, accuracy: null, rmse: null, rejected: 0 }, 1, 'records')).toBe('replaying  10  10 records/s');
  });

  it('throttles redraws and ends with a newline', () => {
    const written: string[] = [];
    let t = 0;
    const bar = new ProgressBar({ label: 't', stream: { isTTY: true, write: (s: string) => written.push(s) > 0 }, intervalMs: 100, now: () => t });
    const f = { done: 1, total: 10, loss: null, accuracy: null, rmse: null, rejected: 0 };
    bar.update(f);
    t = 50;
    bar.update(f); // within the interval: skipped
    t = 150;
    bar.update(f);
    bar.finish({ ...f, done: 10 });
    expect(written.length).toBe(4);
    expect(written[3]).toBe('\n');
    expect(written[2]).toContain('100%');
  });
});
