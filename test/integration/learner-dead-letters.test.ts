/**
 * Malformed records on a real topic: 1% of the records are bad in every way the decoder knows (not JSON,
 * wrong length, NaN and 1e999, unknown class, a `__proto__` key, a tombstone, a 2 MB value). Each one is
 * on the dead-letter topic with its reason and origin headers, every good record is trained, nothing
 * crashes, and on one partition the model ends bit for bit where a run on the good records alone ends.
 */
import { Writable } from 'node:stream';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { runLearner } from '../../src/app/run-learner.js';
import { runTrainJob } from '../../src/app/train-job.js';
import { learnerConfigOf } from '../../src/config/assemble.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { KafkaRecord } from '../../src/sources/kafka/index.js';
import type { SourceRecord } from '../../src/sources/types.js';
import { createTestTopic, deferred, testKafkaClient, uniqueName } from '../helpers/kafka.js';
import { groupProgress, learnerConfig, produceValues, statsvilleLines } from '../helpers/learner-kafka.js';

const GOOD = 50_000;
/** One bad record after every 100 good ones: 500 of 50,500. */
const BAD_EVERY = 100;
const TWO_MB = 2 * 1024 * 1024;
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

/** Bad values and the reason each must be dead-lettered with (pipeline/sample.ts REJECT_REASONS). */
const BAD: ReadonlyArray<{ value: string | null; reason: string }> = [
  { value: 'height 170, weight 70: man', reason: 'not_json' },
  { value: '{"features": [170.5, 70.1, 3], "label": "man"}', reason: 'wrong_feature_count' },
  // Bare NaN is not JSON; the string "NaN" is JSON but not a finite number; 1e999 parses to Infinity.
  { value: '{"features": {"height_cm": NaN, "weight_kg": 70}, "label": "man"}', reason: 'not_json' },
  { value: '{"features": {"height_cm": "NaN", "weight_kg": 70}, "label": "man"}', reason: 'non_finite' },
  { value: '{"features": {"height_cm": 1e999, "weight_kg": 70}, "label": "man"}', reason: 'non_finite' },
  { value: '{"features": {"height_cm": 170, "weight_kg": 70}, "label": "alien"}', reason: 'unknown_class' },
  { value: '{"features": {"height_cm": 170, "weight_kg": 70}, "label": "man", "__proto__": {"admin": true}}', reason: 'prototype_key' },
  { value: null, reason: 'empty' },
];
const HUGE = { value: JSON.stringify({ features: { height_cm: 170, weight_kg: 70 }, label: 'man', pad: 'x'.repeat(TWO_MB) }), reason: 'oversize' };

interface Expected {
  readonly offset: string;
  readonly reason: string;
}

/** Good lines with a bad value after every BAD_EVERY of them, the 2 MB one in the middle. */
function mixedStream(good: readonly string[]): { values: Array<string | null>; bad: Expected[] } {
  const values: Array<string | null> = [];
  const bad: Expected[] = [];
  for (let i = 0; i < good.length; i++) {
    values.push(good[i]);
    if ((i + 1) % BAD_EVERY === 0) {
      const k = bad.length;
      const { value, reason } = k === 250 ? HUGE : BAD[k % BAD.length];
      bad.push({ offset: String(values.length), reason });
      values.push(value);
    }
  }
  return { values, bad };
}

async function readTopic(topic: string, count: number): Promise<KafkaRecord[]> {
  const records: KafkaRecord[] = [];
  const all = deferred();
  const consumer = await testKafkaClient().consumer({ groupId: uniqueName('g'), topics: [topic], maxWaitTimeMs: 200 });
  await consumer.consume({
    async onBatch(batch) {
      records.push(...batch);
      if (records.length >= count) all.resolve();
    },
    onCrash: (error, restarting) => (restarting ? undefined : all.reject(error)),
  });
  await all.promise;
  await consumer.disconnect();
  return records;
}

const header = (record: KafkaRecord, name: string) => String(record.headers[name]);

describe('learner on a topic with malformed records', () => {
  it('dead-letters every bad record with its reason and origin, trains every good one, and ends as a clean run', async () => {
    // Room for the 2 MB record: the broker's default limit is 1 MB per record batch.
    const topic = await createTestTopic({ partitions: 1, config: { 'max.message.bytes': String(4 * 1024 * 1024) } });
    const deadLetterTopic = await createTestTopic({ partitions: 1 });
    const good = statsvilleLines(GOOD, 77);
    const { values, bad } = mixedStream(good);
    const huge = bad.findIndex((b) => b.reason === 'oversize');
    await produceValues(topic, values.slice(0, Number(bad[huge].offset)));
    await produceValues(topic, [values[Number(bad[huge].offset)]]);
    await produceValues(topic, values.slice(Number(bad[huge].offset) + 1));
    const groupId = uniqueName('g');
    // No partial-batch flush on a timer: minibatch boundaries then depend on the records only.
    const training = { maxRecords: values.length, maxWaitMs: 600_000 };
    const config = learnerConfig(topic, groupId, { training, deadLetter: { topic: deadLetterTopic } });

    const { learner, summary } = await runTrainJob(config, { log: quiet });

    expect(summary.records).toBe(values.length);
    expect(summary.samples).toBe(GOOD);
    expect(summary.rejected).toBe(bad.length);
    const byReason: Record<string, number> = {};
    for (const { reason } of bad) byReason[reason] = (byReason[reason] ?? 0) + 1;
    expect(summary.rejectedByReason).toEqual(byReason);

    const letters = await readTopic(deadLetterTopic, bad.length);
    expect(letters).toHaveLength(bad.length);
    const found = letters.map((letter) => {
      const body = JSON.parse(String(letter.value));
      expect(header(letter, 'dlq-source-topic')).toBe(topic);
      expect(header(letter, 'dlq-source-partition')).toBe('0');
      expect(body.reason).toBe(header(letter, 'dlq-reason'));
      expect(body.origin).toMatchObject({ kind: 'kafka', topic, partition: 0, offset: header(letter, 'dlq-source-offset') });
      return { offset: header(letter, 'dlq-source-offset'), reason: header(letter, 'dlq-reason') };
    });
    expect(found).toEqual(bad);
    // The 2 MB record is dead-lettered by its start only.
    expect(String(letters[huge].value).length).toBeLessThan(4096);

    const progress = await groupProgress(groupId, topic);
    expect(progress.committed).toEqual([String(values.length)]);

    // The same learner on the good records alone, in memory.
    const reference = new Learner(learnerConfigOf(config));
    const goodRecords: SourceRecord[] = good.map((value, index) => ({ value, origin: { kind: 'memory', index } }));
    await runLearner(reference, from(goodRecords));
    expect(reference.summary().steps).toBe(summary.steps);
    const params = learner.setup.model.params;
    const expected = reference.setup.model.params;
    expect(Object.keys(params)).toEqual(Object.keys(expected));
    for (const name of Object.keys(expected)) {
      const bytes = (a: Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      expect(bytes(params[name]).equals(bytes(expected[name])), `parameter ${name}`).toBe(true);
    }
  });
});
