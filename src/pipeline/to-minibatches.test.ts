import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { MinibatchCollector, toMinibatches } from './to-minibatches.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('toMinibatches', () => {
  it('emits a full batch as soon as it fills', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-f-|');
      const batches = source.pipe(toMinibatches({ batchSize: 3, maxWaitMs: 100, scheduler: ts }));
      expectObservable(batches).toBe('-----x-----y-|', { x: ['a', 'b', 'c'], y: ['d', 'e', 'f'] });
      expectSubscriptions(source.subscriptions).toBe('^------------!');
    });
  });

  it('flushes a partial batch after maxWaitMs without a new arrival, measured from the last arrival', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      // a at 1, b at 3: quiet from 3, so the flush comes at 3 + 5 = 8, not 1 + 5 = 6.
      const batches = cold('-a-b---------c|').pipe(toMinibatches({ batchSize: 3, maxWaitMs: 5, scheduler: ts }));
      expectObservable(batches).toBe('--------x-----(y|)', { x: ['a', 'b'], y: ['c'] });
    });
  });

  it('after a full batch, times the next partial batch from its own last arrival', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      // [a, b] fills at 2; c at 5 is then alone: flushed at 5 + 5 = 10 (the timer armed by a at 1 re-arms).
      const batches = cold('-ab--c--------|').pipe(toMinibatches({ batchSize: 2, maxWaitMs: 5, scheduler: ts }));
      expectObservable(batches).toBe('--x-------y---|', { x: ['a', 'b'], y: ['c'] });
    });
  });

  it('never flushes on time with maxWaitMs Infinity; completion flushes the rest', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      const batches = cold('-a-b 1000ms c-|').pipe(toMinibatches({ batchSize: 4, maxWaitMs: Infinity, scheduler: ts }));
      expectObservable(batches).toBe('---- 1000ms --(x|)', { x: ['a', 'b', 'c'] });
    });
  });

  it('completes without an empty batch when nothing is pending', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      const batches = cold('-a-b-|').pipe(toMinibatches({ batchSize: 2, maxWaitMs: 10, scheduler: ts }));
      expectObservable(batches).toBe('---x-|', { x: ['a', 'b'] });
    });
  });

  it('propagates an error and drops the partial batch', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      const batches = cold('-a-b-c-#', undefined, new Error('boom')).pipe(toMinibatches({ batchSize: 2, maxWaitMs: 50, scheduler: ts }));
      expectObservable(batches).toBe('---x---#', { x: ['a', 'b'] }, new Error('boom'));
    });
  });

  it('on early unsubscribe, unsubscribes the source and emits nothing later', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-----|');
      const batches = source.pipe(toMinibatches({ batchSize: 3, maxWaitMs: 2, scheduler: ts }));
      expectObservable(batches, '^--!').toBe('----');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('releases its timer on unsubscribe', () => {
    const ts = newScheduler();
    const input = new Subject<string>();
    const subscription = input.pipe(toMinibatches({ batchSize: 3, maxWaitMs: 10, scheduler: ts })).subscribe();
    input.next('a');
    expect(ts.actions).toHaveLength(1);
    subscription.unsubscribe();
    expect(ts.actions).toHaveLength(0);
    expect(input.observed).toBe(false);
  });

  it('starts a new batch before emitting, so a re-entrant arrival lands in the next batch', () => {
    const ts = newScheduler();
    const input = new Subject<number>();
    const batches: number[][] = [];
    input.pipe(toMinibatches({ batchSize: 2, maxWaitMs: Infinity, scheduler: ts })).subscribe((batch) => {
      batches.push(batch);
      if (batch[0] === 1) input.next(99);
    });
    for (const v of [1, 2, 3]) input.next(v);
    input.complete();
    expect(batches).toEqual([[1, 2], [99, 3]]);
  });

  it('refuses a bad batchSize or maxWaitMs when the pipeline is built', () => {
    expect(() => toMinibatches({ batchSize: 0, maxWaitMs: 1 })).toThrow('toMinibatches.batchSize: 0 is invalid: must be an integer >= 1');
    expect(() => toMinibatches({ batchSize: 2, maxWaitMs: -1 })).toThrow('toMinibatches.maxWaitMs: -1 is invalid');
  });
});

describe('MinibatchCollector', () => {
  /** Runs `script` on a virtual clock and returns the batches emitted, each with its time. */
  function collect(
    batchSize: number,
    maxWaitMs: number,
    script: (c: MinibatchCollector<string>, at: (ms: number, f: () => void) => void) => void,
  ): Array<[number, string[]]> {
    const ts = newScheduler();
    const emitted: Array<[number, string[]]> = [];
    ts.run(() => {
      const collector = new MinibatchCollector<string>({ batchSize, maxWaitMs, scheduler: ts }, (batch) => emitted.push([ts.now(), batch]));
      script(collector, (ms, f) => ts.schedule(f, ms));
    });
    return emitted;
  }

  it('times a partial batch from the last `arrived`, not from when its items were added', () => {
    // a and b added at 1, their burst marked arrived at 4: quiet from 4, flushed at 4 + 5 = 9 (not 1 + 5).
    const emitted = collect(3, 5, (c, at) => {
      at(1, () => {
        c.add('a');
        c.add('b');
      });
      at(4, () => c.arrived());
    });
    expect(emitted).toEqual([[9, ['a', 'b']]]);
  });

  it('emits a full batch on the add that fills it, and nothing on time after it', () => {
    const emitted = collect(2, 5, (c, at) => {
      at(1, () => {
        c.add('a');
        c.add('b');
        c.arrived();
      });
    });
    expect(emitted).toEqual([[1, ['a', 'b']]]);
  });
});
