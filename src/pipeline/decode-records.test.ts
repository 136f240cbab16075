import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../sources/types.js';
import { encodeBinarySamples } from './binary-format.js';
import { decodeRecords, divertRejects } from './decode-records.js';
import type { Decoded, Rejected, Sample } from './sample.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const at = (index: number, value: string): SourceRecord => ({ value, origin: { kind: 'memory', index } });
const good = at(0, '{"features": [1, 2], "label": 0.5}');
const bad = at(1, '{"features": [1, 2]}');

const sample: Sample = { kind: 'sample', x: new Float32Array([1, 2]), y: 0.5, weight: 1, origin: good.origin };
const reject: Rejected = {
  kind: 'rejected',
  reason: 'missing_label',
  message: 'label is missing',
  origin: bad.origin,
  raw: '{"features": [1, 2]}',
};

describe('decodeRecords', () => {
  it('keeps samples and rejects in arrival order', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      const decoded = cold('-g-b-|', { g: good, b: bad }).pipe(decodeRecords({ features: 2, task: 'regression' }));
      expectObservable(decoded).toBe('-s-r-|', { s: sample, r: reject });
    });
  });

  it('passes source errors through and unsubscribes the source early', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-g-#', { g: good }).pipe(decodeRecords({ features: 2, task: 'regression' }));
      expectObservable(failing).toBe('-s-#', { s: sample });
      const source = cold('-g-g-g-|', { g: good });
      expectObservable(source.pipe(decodeRecords({ features: 2, task: 'regression' })), '^--!').toBe('-s-', { s: sample });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('refuses an invalid schema when the pipeline is built', () => {
    expect(() => decodeRecords({ features: 2, task: 'multiclass' })).toThrow('schema.classes: is missing');
    expect(() => decodeRecords({ features: 2, task: 'multiclass' }, { format: 'binary' })).toThrow('schema.classes: is missing');
  });

  it('binary format: a record becomes its samples and rejects, in sample order, at its arrival', () => {
    const values = encodeBinarySamples({ features: [1, 2, NaN, 4, 5, 6], featureCount: 2, labels: [7, 8, 9] });
    const pair: SourceRecord = { value: values, origin: { kind: 'memory', index: 0 } };
    const bad = at(1, 'not binary');
    const part = (index: number) => ({ index, count: 3 });
    const s0: Sample = { kind: 'sample', x: new Float32Array([1, 2]), y: 7, weight: 1, origin: pair.origin, part: part(0) };
    const r1: Rejected = { kind: 'rejected', reason: 'non_finite', message: 'sample 1 of 3: features[0]: NaN is not finite', origin: pair.origin, part: part(1) };
    const s2: Sample = { kind: 'sample', x: new Float32Array([5, 6]), y: 9, weight: 1, origin: pair.origin, part: part(2) };
    const whole: Rejected = {
      kind: 'rejected',
      reason: 'bad_magic',
      message: 'expected the magic bytes "OLBS" (4f 4c 42 53), got 6e 6f 74 20',
      origin: bad.origin,
      raw: '6e 6f 74 20 62 69 6e 61 72 79',
    };
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      const decoded = cold('-p-----b-|', { p: pair, b: bad }).pipe(decodeRecords({ features: 2, task: 'regression' }, { format: 'binary' }));
      expectObservable(decoded).toBe('-(abc)-w-|', { a: s0, b: r1, c: s2, w: whole });
    });
  });
});

describe('divertRejects', () => {
  it('lets samples through and hands each reject to the sink in order', () => {
    const ts = newScheduler();
    const sunk: Rejected[] = [];
    ts.run(({ cold, expectObservable }) => {
      const source = cold<Decoded>('-s-r-s-|', { s: sample, r: reject });
      expectObservable(source.pipe(divertRejects((r) => sunk.push(r)))).toBe('-s---s-|', { s: sample });
    });
    expect(sunk).toEqual([reject]);
  });

  it('errors the stream when the sink throws, and propagates source errors', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Decoded>('-s-r-s-|', { s: sample, r: reject });
      const diverted = source.pipe(
        divertRejects(() => {
          throw new Error('disk full');
        }),
      );
      expectObservable(diverted).toBe('-s-#', { s: sample }, new Error('disk full'));
      expectSubscriptions(source.subscriptions).toBe('^--!');
      expectObservable(cold<Decoded>('-#').pipe(divertRejects(() => undefined))).toBe('-#');
    });
  });

  it('unsubscribes the source on early unsubscribe', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Decoded>('-s-s-s-|', { s: sample });
      expectObservable(source.pipe(divertRejects(() => undefined)), '^--!').toBe('-s-', { s: sample });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
