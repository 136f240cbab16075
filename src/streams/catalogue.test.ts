import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { getStream, listStreams, resolveStreamOptions, streamRecords } from './catalogue.js';
import { hashStream } from './checksum.js';
import type { StreamInfo, StreamRecord } from './types.js';

const NAMES = ['statsville', 'regression', 'imbalanced', 'drift', 'large'];

describe('stream catalogue', () => {
  it('lists the five streams in manifest order', () => {
    expect(listStreams().map((info) => info.name)).toEqual(NAMES);
  });

  it('names the unknown stream and the known ones', () => {
    expect(() => getStream('nope')).toThrow(ConfigError);
    expect(() => getStream('nope')).toThrow(/"nope".*statsville, regression, imbalanced, drift, large/);
  });

  it('rejects a seed or record count outside its rule, naming the field and value', () => {
    const { info } = getStream('statsville');
    expect(() => resolveStreamOptions(info, { seed: -1 })).toThrow(/seed: .* got -1/);
    expect(() => resolveStreamOptions(info, { seed: 2 ** 32 })).toThrow(/seed: .* got 4294967296/);
    expect(() => resolveStreamOptions(info, { records: 1.5 })).toThrow(/records: .* got 1.5/);
    expect(() => streamRecords('statsville', { records: -3 })).toThrow(ConfigError);
    expect(resolveStreamOptions(info)).toEqual({ seed: info.defaultSeed, records: 10_000 });
  });

  it('gives every stream its own default seed, so their random draws are unrelated', () => {
    const seeds = listStreams().map((info) => info.defaultSeed);
    expect(new Set(seeds).size).toBe(seeds.length);
  });

  it('recommends a model whose input and output sizes fit the stream', () => {
    for (const info of listStreams()) {
      const { model } = info.recommended;
      expect(model.inputs, info.name).toBe(info.featureNames.length);
      if (model.type === 'mlp') expect(model.outputs).toBe(info.classes.length);
      if (model.type === 'logistic') expect(info.classes).toHaveLength(2);
      if (model.type === 'linear') expect(info.task).toBe('regression');
    }
  });

  it.each(NAMES)('%s: the same seed gives the same bytes, another seed different bytes', (name) => {
    const a = hashStream(name, { seed: 7, records: 300 });
    const b = hashStream(name, { seed: 7, records: 300 });
    const c = hashStream(name, { seed: 8, records: 300 });
    expect(a.records).toBe(300);
    expect(b).toEqual(a);
    expect(c.sha256).not.toBe(a.sha256);
  });

  it.each(NAMES)('%s: every record has the schema the catalogue declares', (name) => {
    const { info } = getStream(name);
    let count = 0;
    for (const record of streamRecords(name, { records: 500 })) {
      expectSchema(info, record);
      count++;
    }
    expect(count).toBe(500);
  });

  // Drift is excluded: its switch point is floor(records / 2), so a shorter stream switches earlier.
  it.each(['statsville', 'regression', 'imbalanced', 'large'])(
    '%s: a shorter stream is a prefix of a longer one with the same seed',
    (name) => {
      const short = Array.from(streamRecords(name, { records: 50 }));
      const long = Array.from(streamRecords(name, { records: 120 }));
      expect(long.slice(0, 50)).toEqual(short);
    },
  );

  it('yields records lazily: the first of a billion arrives without drawing the rest', () => {
    const first = streamRecords('large', { records: 1_000_000_000 }).next();
    expect(first.done).toBe(false);
    expect((first.value as StreamRecord).features).toHaveLength(30);
  });
});

function expectSchema(info: StreamInfo, record: StreamRecord): void {
  if (info.featureFormat === 'array') {
    expect(record.features).toHaveLength(info.featureNames.length);
  } else {
    expect(Object.keys(record.features)).toEqual(info.featureNames);
  }
  for (const value of Object.values(record.features)) expect(Number.isFinite(value)).toBe(true);
  if (info.labelFormat === 'class_name') expect(info.classes).toContain(record.label);
  if (info.labelFormat === 'class_index') {
    expect(Number.isInteger(record.label)).toBe(true);
    expect(record.label as number).toBeGreaterThanOrEqual(0);
    expect(record.label as number).toBeLessThan(info.classes.length);
  }
  if (info.labelFormat === 'number') expect(Number.isFinite(record.label)).toBe(true);
}
