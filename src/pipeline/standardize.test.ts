import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Sample } from './sample.js';
import { standardize } from './standardize.js';
import { OnlineStandardizer } from './welford.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const withX = (values: number[]): Sample => ({
  kind: 'sample',
  x: new Float64Array(values),
  y: 0,
  weight: 1,
  origin: { kind: 'memory', index: 0 },
});

describe('standardize', () => {
  it('standardizes each sample with statistics that include it, leaving the input sample untouched', () => {
    const ts = newScheduler();
    const a = withX([1]);
    ts.run(({ cold, expectObservable }) => {
      // Running (mean, variance) after 1, 3, 5: (1, 0), (2, 1), (3, 8/3) -> 0, 1, 2 / sqrt(8/3).
      const out = cold('-a-b-c-|', { a, b: withX([3]), c: withX([5]) }).pipe(standardize(new OnlineStandardizer(1)));
      expectObservable(out).toBe('-a-b-c-|', { a: withX([0]), b: withX([1]), c: withX([2 / Math.sqrt(8 / 3)]) });
    });
    expect([...a.x]).toEqual([1]);
  });

  it('propagates errors (a wrong-length x too) and unsubscribes the source early', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const wrong = cold('-a-|', { a: withX([1, 2]) }).pipe(standardize(new OnlineStandardizer(1)));
      expectObservable(wrong).toBe('-#', undefined, expect.objectContaining({ message: 'OnlineStandardizer has 1 features, got a vector of 2' }));
      const source = cold('-a-a-a-|', { a: withX([1]) });
      expectObservable(source.pipe(standardize(new OnlineStandardizer(1))), '^--!').toBe('-a-', { a: withX([0]) });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
