import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import { ShuffleBuffer, shuffleBuffer } from './shuffle-buffer.js';
import type { ShuffleBufferState } from './shuffle-buffer.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** An rng whose draws are written in the test, so the expected order can be derived by hand. */
function scripted(...draws: number[]): { int(n: number): number } {
  return {
    int(n) {
      const j = draws.shift();
      if (j === undefined || j >= n) throw new Error(`unexpected draw (n = ${n})`);
      return j;
    },
  };
}

describe('shuffleBuffer', () => {
  it('fills to capacity, then emits a random resident per arrival, then drains in random order', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      // Fill [a, b, c]. d: draw 1 -> emit b, [a, d, c]. e: draw 0 -> emit a, [e, d, c].
      // Drain: draw 2 -> c, [e, d]; draw 0 -> e, [d]; draw 0 -> d.
      const source = cold('-a-b-c-d-e-|');
      const shuffled = source.pipe(shuffleBuffer({ capacity: 3, rng: scripted(1, 0, 2, 0, 0) }));
      expectObservable(shuffled).toBe('-------b-a-(ced|)');
      expectSubscriptions(source.subscriptions).toBe('^----------!');
    });
  });

  it('passes items through in order with capacity 1', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b-c-|').pipe(shuffleBuffer({ capacity: 1, rng: new Rng(9) }))).toBe('---a-b-(c|)');
    });
  });

  it('propagates an error at once; residents stay in the holder', () => {
    const ts = newScheduler();
    const state: ShuffleBufferState<string> = { residents: [] };
    ts.run(({ cold, expectObservable }) => {
      const shuffled = cold('-a-b-#', undefined, new Error('boom')).pipe(shuffleBuffer({ capacity: 1, rng: scripted(0), state }));
      expectObservable(shuffled).toBe('---a-#', undefined, new Error('boom'));
    });
    expect(state.residents).toEqual(['b']);
  });

  it('on early unsubscribe stops, unsubscribes the source and leaves the residents to checkpoint', () => {
    const ts = newScheduler();
    const state: ShuffleBufferState<string> = { residents: [] };
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-|');
      expectObservable(source.pipe(shuffleBuffer({ capacity: 2, rng: scripted(1), state })), '^-----!').toBe('-----b');
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
    expect(state.residents).toEqual(['a', 'c']);
  });

  it('stops draining when the subscriber unsubscribes mid-drain', () => {
    const input = new Subject<number>();
    const state: ShuffleBufferState<number> = { residents: [] };
    const got: number[] = [];
    const subscription = input.pipe(shuffleBuffer({ capacity: 3, rng: scripted(0), state })).subscribe((v) => {
      got.push(v);
      subscription.unsubscribe();
    });
    for (const v of [1, 2, 3]) input.next(v);
    input.complete();
    // Draw 0 -> 1, [3, 2]; then unsubscribed: 3 and 2 stay.
    expect(got).toEqual([1]);
    expect(state.residents).toEqual([3, 2]);
  });

  it('emits a permutation of its input, the same one for the same seed', () => {
    const run = (seed: number): number[] => {
      const out: number[] = [];
      const input = new Subject<number>();
      input.pipe(shuffleBuffer({ capacity: 10, rng: new Rng(seed) })).subscribe((v) => out.push(v));
      for (let i = 0; i < 100; i++) input.next(i);
      input.complete();
      return out;
    };
    const a = run(1);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(run(1)).toEqual(a);
    expect(run(2)).not.toEqual(a);
  });

  it('restored from saved residents and rng state, continues exactly as an uninterrupted run', () => {
    const items = Array.from({ length: 60 }, (_, i) => i);
    const uninterrupted: number[] = [];
    const all = new Subject<number>();
    all.pipe(shuffleBuffer({ capacity: 8, rng: new Rng(7) })).subscribe((v) => uninterrupted.push(v));
    items.forEach((v) => all.next(v));
    all.complete();

    const resumed: number[] = [];
    const rng = new Rng(7);
    const state: ShuffleBufferState<number> = { residents: [] };
    const first = new Subject<number>();
    const subscription = first.pipe(shuffleBuffer({ capacity: 8, rng, state })).subscribe((v) => resumed.push(v));
    items.slice(0, 25).forEach((v) => first.next(v));
    subscription.unsubscribe();
    const saved = { residents: [...state.residents], rng: rng.getState() };

    const second = new Subject<number>();
    const restored: ShuffleBufferState<number> = { residents: saved.residents };
    second.pipe(shuffleBuffer({ capacity: 8, rng: Rng.fromState(saved.rng), state: restored })).subscribe((v) => resumed.push(v));
    items.slice(25).forEach((v) => second.next(v));
    second.complete();
    expect(resumed).toEqual(uninterrupted);
  });

  it('keeps a restored buffer larger than capacity until the drain, losing nothing', () => {
    const ts = newScheduler();
    const state: ShuffleBufferState<string> = { residents: ['x', 'y', 'z'] };
    ts.run(({ cold, expectObservable }) => {
      // Capacity 1, three residents: a replaces draw 2 (z), then the drain: draw 0 -> x, [a, y]; 1 -> y; 0 -> a.
      expectObservable(cold('-a-|').pipe(shuffleBuffer({ capacity: 1, rng: scripted(2, 0, 1, 0), state }))).toBe('-z-(xya|)');
    });
  });

  it('draws from an Rng exactly what rng.int draws: same order out, same rng state after', () => {
    // The wrapper is not an Rng, so that buffer calls int() on every draw: the reference.
    const run = (capacity: number, viaInt: boolean): { out: number[]; state: unknown } => {
      const rng = new Rng(42);
      const out: number[] = [];
      const buffer = new ShuffleBuffer<number>(capacity, viaInt ? { int: (n) => rng.int(n) } : rng, { residents: [] });
      for (let i = 0; i < 5_000; i++) buffer.offer(i, (v) => out.push(v));
      buffer.drain((v) => out.push(v), () => false);
      return { out, state: rng.getState() };
    };
    for (const capacity of [1, 3, 1000]) expect(run(capacity, false)).toEqual(run(capacity, true));
  });

  it('refuses a capacity below 1', () => {
    expect(() => shuffleBuffer({ capacity: 0, rng: new Rng(0) })).toThrow('shuffleBuffer.capacity: 0 is invalid: must be an integer >= 1');
  });
});
