import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import type { SourceRecord } from '../sources/types.js';
import { encodeBinarySamples } from './binary-format.js';
import { Learner } from './learner.js';
import type { LearnerConfig, LearnerEvent } from './learner.js';

const config: LearnerConfig = {
  schema: { features: ['a', 'b'], task: 'binary', classes: ['no', 'yes'] },
  model: { type: 'logistic' },
  loss: { type: 'bce_with_logits' },
  optimizer: { type: 'adam', lr: 0.05 },
  batchSize: 8,
  maxWaitMs: Infinity,
  shuffleBuffer: 50,
  standardize: true,
  seed: 11,
};

/** Two separable clusters in raw units far from 0 (standardization matters): label yes iff a + b > 300. */
function goodRecords(n: number): string[] {
  const rng = new Rng(99);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const yes = rng.bernoulli(0.5);
    const a = (yes ? 180 : 120) + rng.normal(0, 8);
    const b = (yes ? 170 : 110) + rng.normal(0, 8);
    out.push(JSON.stringify({ features: { a, b }, label: yes ? 'yes' : 'no', id: `g${i}` }));
  }
  return out;
}

const BAD = [
  'not json at all',
  '{"features": {"a": 1}, "label": "yes"}',
  '{"features": {"a": 1, "b": "NaN"}, "label": "yes"}',
  '{"features": {"a": 1, "b": 2}, "label": "alien"}',
  '{"features": {"a": 1, "b": 2, "__proto__": {"x": 1}}, "label": "no"}',
  '{"features": [1, 2, 3], "label": "no"}',
];

function asRecords(lines: string[]): SourceRecord[] {
  return lines.map((value, index) => ({ value, origin: { kind: 'memory', index } }));
}

async function run(lines: string[]): Promise<{ learner: Learner; events: LearnerEvent[] }> {
  const learner = new Learner(config);
  const events = await lastValueFrom(learner.run(from(asRecords(lines))).pipe(toArray()));
  return { learner, events };
}

describe('Learner', () => {
  it('learns a separable stream prequentially', async () => {
    const { learner } = await run(goodRecords(2000));
    const s = learner.summary();
    expect(s.records).toBe(2000);
    expect(s.samples).toBe(2000);
    expect(s.steps).toBe(250);
    expect(s.quality.windowAccuracy).toBeGreaterThan(0.95);
  });

  it('dead-letters bad records with their reason and ends exactly where a clean run ends', async () => {
    const good = goodRecords(400);
    const mixed = [...good];
    // Spread the bad records through the stream.
    BAD.forEach((bad, i) => mixed.splice(30 + i * 60, 0, bad));
    const clean = await run(good);
    const dirty = await run(mixed);

    const reasons = dirty.events.flatMap((e) => (e.kind === 'rejected' ? [e.deadLetter.reason] : []));
    expect(reasons).toEqual(['not_json', 'missing_features', 'non_finite', 'unknown_class', 'prototype_key', 'wrong_feature_count']);
    expect(dirty.learner.summary().rejected).toBe(BAD.length);
    expect(dirty.learner.summary().samples).toBe(good.length);
    for (const [name, p] of Object.entries(clean.learner.setup.model.params)) {
      expect(Array.from(dirty.learner.setup.model.params[name])).toEqual(Array.from(p));
    }
  });

  it('accounts for every record exactly once: trained in one step or rejected', async () => {
    const lines = [...goodRecords(97), ...BAD];
    const { events } = await run(lines);
    const seen = new Map<number, number>();
    const mark = (index: number) => seen.set(index, (seen.get(index) ?? 0) + 1);
    for (const e of events) {
      if (e.kind === 'rejected') mark((e.deadLetter.origin as { index: number }).index);
      else for (const s of e.samples) mark((s.origin as { index: number }).index);
    }
    expect(seen.size).toBe(lines.length);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('Learner on binary records', () => {
  /** The same separable clusters, `perRecord` samples per binary record, with one NaN feature in record 3. */
  function binaryRecords(records: number, perRecord: number): SourceRecord[] {
    const rng = new Rng(99);
    const out: SourceRecord[] = [];
    for (let r = 0; r < records; r++) {
      const features = new Float32Array(2 * perRecord);
      const labels = new Uint32Array(perRecord);
      for (let i = 0; i < perRecord; i++) {
        const yes = rng.bernoulli(0.5);
        features[2 * i] = (yes ? 180 : 120) + rng.normal(0, 8);
        features[2 * i + 1] = (yes ? 170 : 110) + rng.normal(0, 8);
        labels[i] = yes ? 1 : 0;
      }
      if (r === 3) features[7] = NaN;
      out.push({ value: encodeBinarySamples({ features, featureCount: 2, labels }), origin: { kind: 'memory', index: r } });
    }
    return out;
  }

  it('trains on every sample of every record exactly once, and dead-letters the bad one with its part', async () => {
    const learner = new Learner({ ...config, decode: { format: 'binary' } });
    const events = await lastValueFrom(learner.run(from(binaryRecords(40, 50))).pipe(toArray()));
    const seen = new Map<string, number>();
    const mark = (origin: unknown, index: number | undefined) => {
      const key = `${(origin as { index: number }).index}#${index}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    };
    const letters = events.flatMap((e) => (e.kind === 'rejected' ? [e.deadLetter] : []));
    for (const e of events) {
      if (e.kind === 'rejected') mark(e.deadLetter.origin, e.deadLetter.part?.index);
      else for (const s of e.samples) mark(s.origin, s.part?.index);
    }
    expect(seen.size).toBe(40 * 50);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    // features[7] is sample 3's second feature.
    expect(letters).toEqual([
      { reason: 'non_finite', message: 'sample 3 of 50: features[1]: NaN is not finite', origin: { kind: 'memory', index: 3 }, part: { index: 3, count: 50 }, raw: null },
    ]);
    const s = learner.summary();
    expect(s).toMatchObject({ records: 40, samples: 40 * 50 - 1, rejected: 1 });
    expect(s.quality.windowAccuracy).toBeGreaterThan(0.95);
  });

  it('trains to the same bits as the same samples sent one per JSON record', async () => {
    // Records 0-2 only: record 3 holds the NaN, which JSON cannot carry.
    const binary = binaryRecords(3, 64);
    const json: SourceRecord[] = [];
    for (const record of binary) {
      const view = new DataView((record.value as Buffer).buffer, (record.value as Buffer).byteOffset);
      // The header is 20 bytes, then 64 rows of two float32, then 64 uint32 labels.
      for (let i = 0; i < 64; i++) {
        const features = [view.getFloat32(20 + 8 * i, true), view.getFloat32(24 + 8 * i, true)];
        const label = view.getUint32(20 + 8 * 64 + 4 * i, true);
        json.push({ value: JSON.stringify({ features, label }), origin: { kind: 'memory', index: json.length } });
      }
    }
    const run = async (records: SourceRecord[], decode: LearnerConfig['decode']) => {
      const learner = new Learner({ ...config, decode });
      await lastValueFrom(learner.run(from(records)).pipe(toArray()));
      const params = learner.setup.model.params;
      return {
        params: Object.keys(params).map((name) => [name, Array.from(params[name])]),
        standardizer: learner.standardizer?.getState(),
        shuffleRng: learner.shuffleRng.getState(),
        samples: learner.summary().samples,
      };
    };
    const fromJson = await run(json, { format: 'json' });
    expect(fromJson.samples).toBe(192);
    expect(await run(binary, { format: 'binary' })).toEqual(fromJson);
  });
});
