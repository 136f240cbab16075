/**
 * 10,000 generated hostile records mixed into a Statsville stream: the learner must refuse each one
 * with exactly one dead letter (a stable reason code, the record's own origin), train every good record,
 * leave Object.prototype alone, and end with parameters bit-identical to a run over the good records alone.
 * Rejection happens before the standardizer and the shuffle buffer, so the hostile records consume no
 * randomness and change no statistic: that is what makes "bit-identical" the right bar.
 */
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { runLearner } from '../../src/app/run-learner.js';
import { Rng } from '../../src/math/rng.js';
import type { DeadLetter } from '../../src/pipeline/dead-letter.js';
import { DEFAULT_MAX_RECORD_BYTES } from '../../src/pipeline/decode-record.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';
import { REJECT_REASONS } from '../../src/pipeline/sample.js';
import type { SourceRecord } from '../../src/sources/types.js';
import { formatRecord } from '../../src/streams/canonical.js';
import { streamRecords } from '../../src/streams/catalogue.js';

const GOOD_RECORDS = 4000;
const HOSTILE_RECORDS = 10_000;

const config: LearnerConfig = {
  schema: { features: ['height_cm', 'weight_kg'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
  model: { type: 'mlp', hidden: [16], activation: 'relu' },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  batchSize: 10,
  maxWaitMs: Infinity,
  shuffleBuffer: 64,
  standardize: true,
  seed: 5,
};

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const GOOD_FEATURES = '{"height_cm":170.5,"weight_kg":70.2}';

// One shared padding: an oversize record costs a subarray, not a fresh megabyte (ropes for strings).
const PAD = ' '.repeat(DEFAULT_MAX_RECORD_BYTES + 1024);
const PAD_BYTES = Buffer.from(`{"features":${GOOD_FEATURES},"label":"man"}${PAD}`);

function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

function deepObject(depth: number, leaf: string): string {
  return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

/** Nests `inner` under `depth` objects whose keys are all `key`. */
function nestUnder(key: string, depth: number, inner: string): string {
  return `{${JSON.stringify(key)}:`.repeat(depth) + inner + '}'.repeat(depth);
}

type Family = (rng: Rng, good: string) => Buffer | string | null;

const FAMILIES: Readonly<Record<string, Family>> = {
  random_bytes: (rng) => {
    const bytes = Buffer.alloc(1 + rng.int(120));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
    // At least one byte that never occurs in UTF-8, so some records are invalid UTF-8 for sure.
    if (rng.bernoulli(0.5)) bytes[rng.int(bytes.length)] = 0xff;
    return bytes;
  },
  deep_arrays: (rng) => deepArray(rng.bernoulli(0.5) ? 10_000 : 17 + rng.int(2000)),
  deep_objects: (rng) => deepObject(rng.bernoulli(0.5) ? 10_000 : 17 + rng.int(2000), '1'),
  deep_in_features: (rng) => `{"features":${deepObject(16 + rng.int(500), GOOD_FEATURES)},"label":"man"}`,
  huge_numbers: (rng) => {
    // 1e39 and -3.5e38 are finite in float64 but overflow the float32 model (largest float32: 3.4028e38).
    const huge = ['1e309', '-1e400', '1e39', '-3.5e38', '1e999999'][rng.int(5)];
    const where = rng.int(4);
    if (where === 0) return `{"features":{"height_cm":${huge},"weight_kg":70},"label":"man"}`;
    if (where === 1) return `{"features":{"height_cm":170,"weight_kg":${huge}},"label":"woman"}`;
    if (where === 2) return `{"features":${GOOD_FEATURES},"label":${huge}}`;
    // A weight above schema.maxWeight (1e6 by default) is refused even when finite: 1e39 would swamp its batch.
    return `{"features":${GOOD_FEATURES},"label":"child","weight":${huge.startsWith('-') ? huge.slice(1) : huge}}`;
  },
  wrong_types: (rng) => {
    const wrong = ['"170"', 'true', 'false', 'null', '[]', '[170]', '{}', '{"v":170}', '""', '"NaN"', '"Infinity"'][rng.int(11)];
    const where = rng.int(6);
    if (where === 0) return `{"features":${wrong},"label":"man"}`;
    if (where === 1) return `{"features":{"height_cm":${wrong},"weight_kg":70},"label":"man"}`;
    if (where === 2) return `{"features":${GOOD_FEATURES},"label":${wrong === 'null' ? '{}' : wrong}}`;
    if (where === 3) return `{"features":${GOOD_FEATURES},"label":"man","weight":${wrong}}`;
    if (where === 4) return ['[]', '[{"features":{},"label":"man"}]', '"man"', '42', 'true', 'null'][rng.int(6)];
    return `{"features":${GOOD_FEATURES},"label":${['3', '-1', '0.5', '"alien"', '"MAN"'][rng.int(5)]}}`;
  },
  prototype_keys: (rng) => {
    const key = PROTO_KEYS[rng.int(PROTO_KEYS.length)];
    const payload = `{${JSON.stringify(key)}:{"polluted":true}}`;
    const where = rng.int(5);
    if (where === 0) return `{${JSON.stringify(key)}:{"polluted":true},"features":${GOOD_FEATURES},"label":"man"}`;
    if (where === 1) return `{"features":{"height_cm":170,"weight_kg":70,${JSON.stringify(key)}:1},"label":"man"}`;
    if (where === 2) return `{"features":${GOOD_FEATURES},"label":${payload}}`;
    // Every depth the decoder reaches: maxDepth is 16 with the record object at depth 1.
    if (where === 3) return `{"features":${GOOD_FEATURES},"label":"man","meta":${nestUnder('m', rng.int(14), payload)}}`;
    return `{"features":${nestUnder(key, 1 + rng.int(14), GOOD_FEATURES)},"label":"man"}`;
  },
  oversize: (rng) => {
    const bytes = PAD_BYTES.subarray(0, DEFAULT_MAX_RECORD_BYTES + 1 + rng.int(1000));
    return rng.bernoulli(0.5) ? bytes : PAD.slice(0, DEFAULT_MAX_RECORD_BYTES + 1 + rng.int(1000));
  },
  empty: (rng) => [null, '', ' ', '\n', ' \t\r\n ', Buffer.alloc(0), Buffer.from('   ')][rng.int(7)],
  truncated: (rng, good) => {
    const text = good.trimEnd();
    return text.slice(0, 1 + rng.int(text.length - 1));
  },
};

const EXPECTED_REASON: ReadonlyArray<[string, string]> = [
  ['deep_arrays', 'too_deep'],
  ['deep_objects', 'too_deep'],
  ['deep_in_features', 'too_deep'],
  ['prototype_keys', 'prototype_key'],
  ['oversize', 'oversize'],
  ['empty', 'empty'],
  ['truncated', 'not_json'],
];

interface Stream {
  readonly mixed: SourceRecord[];
  readonly good: SourceRecord[];
  /** Origin index in `mixed` → the family that generated it. */
  readonly hostile: Map<number, string>;
  /** Origin indices in `mixed` of the good records. */
  readonly goodIndices: Set<number>;
}

function buildStream(seed: number): Stream {
  const rng = new Rng(seed);
  const names = Object.keys(FAMILIES);
  const goodLines = [...streamRecords('statsville', { records: GOOD_RECORDS })].map(formatRecord);
  const mixed: SourceRecord[] = [];
  const hostile = new Map<number, string>();
  const goodIndices = new Set<number>();
  let nextGood = 0;
  let made = 0;
  while (nextGood < goodLines.length || made < HOSTILE_RECORDS) {
    const index = mixed.length;
    const hostileLeft = HOSTILE_RECORDS - made;
    const goodLeft = goodLines.length - nextGood;
    if (hostileLeft > 0 && rng.uniform() * (hostileLeft + goodLeft) < hostileLeft) {
      const name = names[rng.int(names.length)];
      mixed.push({ value: FAMILIES[name](rng, goodLines[rng.int(goodLines.length)]), origin: { kind: 'memory', index } });
      hostile.set(index, name);
      made += 1;
    } else {
      mixed.push({ value: goodLines[nextGood++], origin: { kind: 'memory', index } });
      goodIndices.add(index);
    }
  }
  const good = goodLines.map((value, index): SourceRecord => ({ value, origin: { kind: 'memory', index } }));
  return { mixed, good, hostile, goodIndices };
}

async function train(records: SourceRecord[]): Promise<{ learner: Learner; letters: DeadLetter[]; trained: number[] }> {
  const learner = new Learner(config);
  const letters: DeadLetter[] = [];
  const trained: number[] = [];
  await runLearner(learner, from(records), {
    deadLetters: { write: async (letter) => void letters.push(letter), close: async () => undefined },
    onEvent: (event) => {
      if (event.kind === 'step' && event.report.applied) for (const s of event.samples) trained.push((s.origin as { index: number }).index);
    },
  });
  return { learner, letters, trained };
}

function bytesOf(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

describe('hostile input fuzz', () => {
  it('dead-letters 10,000 hostile records once each, trains every good one, and ends bit-identical to the clean run', async () => {
    const stream = buildStream(20_261_128);
    expect(stream.hostile.size).toBe(HOSTILE_RECORDS);
    const objectKeysBefore = Reflect.ownKeys(Object.prototype);
    const arrayKeysBefore = Reflect.ownKeys(Array.prototype);

    const dirty = await train(stream.mixed);
    const clean = await train(stream.good);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).a).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(Reflect.ownKeys(Object.prototype)).toEqual(objectKeysBefore);
    expect(Reflect.ownKeys(Array.prototype)).toEqual(arrayKeysBefore);

    const byIndex = new Map<number, DeadLetter[]>();
    for (const letter of dirty.letters) {
      const index = (letter.origin as { index: number }).index;
      byIndex.set(index, [...(byIndex.get(index) ?? []), letter]);
    }
    const histogram: Record<string, number> = {};
    const byFamily: Record<string, Record<string, number>> = {};
    const reasons: readonly string[] = REJECT_REASONS;
    const wrong: string[] = [];
    for (const [index, family] of stream.hostile) {
      const letters = byIndex.get(index) ?? [];
      if (letters.length !== 1 || !reasons.includes(letters[0].reason)) {
        wrong.push(`${index} (${family}) ${String(stream.mixed[index].value).slice(0, 90)}: ${letters.map((l) => l.reason).join(', ') || 'no dead letter'}`);
        continue;
      }
      const reason = letters[0].reason;
      histogram[reason] = (histogram[reason] ?? 0) + 1;
      byFamily[family] ??= {};
      byFamily[family][reason] = (byFamily[family][reason] ?? 0) + 1;
    }
    expect(wrong).toEqual([]);
    expect(dirty.letters).toHaveLength(HOSTILE_RECORDS);
    // Families with one possible reason, by the decoder's check order (size, UTF-8, depth, JSON, keys):
    // a deep record is refused on its text before parsing, a prototype key only after.
    for (const [family, reason] of EXPECTED_REASON) expect([family, Object.keys(byFamily[family])]).toEqual([family, [reason]]);
    console.log(`hostile-input reasons: ${JSON.stringify(histogram)}\nby family: ${JSON.stringify(byFamily)}`);

    expect(clean.letters).toEqual([]);
    expect([...dirty.trained].sort((a, b) => a - b)).toEqual([...stream.goodIndices].sort((a, b) => a - b));
    expect(dirty.learner.summary().samples).toBe(GOOD_RECORDS);
    expect(clean.learner.summary().samples).toBe(GOOD_RECORDS);

    const cleanParams = clean.learner.setup.model.params;
    const dirtyParams = dirty.learner.setup.model.params;
    expect(Object.keys(dirtyParams)).toEqual(Object.keys(cleanParams));
    for (const name of Object.keys(cleanParams)) {
      expect(bytesOf(dirtyParams[name]).equals(bytesOf(cleanParams[name])), name).toBe(true);
    }
  }, 60_000);
});
