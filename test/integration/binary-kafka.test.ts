/**
 * The binary record format end to end on a real broker: 20,000 Statsville samples, 200 per message,
 * produced with kafkajs onto one partition between hostile messages (a JSON record, a truncated one, a
 * message with one NaN feature, one with an unknown class index), trained through runTrainJob with
 * source.format binary. Every good sample is trained once, each bad one is dead-lettered with its
 * reason (and its part when only that sample was refused), and the group's commit reaches the end of
 * the partition: a message with a refused sample is still acknowledged once its other samples trained.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runTrainJob } from '../../src/app/train-job.js';
import type { DeadLetter } from '../../src/pipeline/dead-letter.js';
import { encodeBinarySamples } from '../../src/pipeline/binary-format.js';
import { streamRecords } from '../../src/streams/catalogue.js';
import { createTestTopic, testBroker, uniqueName } from '../helpers/kafka.js';
import { STATSVILLE_SCHEMA, STATSVILLE_LEARNER, groupProgress, learnerConfig, produceValues } from '../helpers/learner-kafka.js';

const SAMPLES = 20_000;
const PER_MESSAGE = 200;
const IDLE_EXIT_MS = 1_500;
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

/** Statsville samples as binary messages of PER_MESSAGE samples: float32 (height, weight), uint32 class. */
function statsvilleMessages(): Buffer[] {
  const classes: readonly string[] = STATSVILLE_SCHEMA.classes;
  const records = [...streamRecords('statsville', { records: SAMPLES, seed: 2024 })];
  const messages: Buffer[] = [];
  for (let start = 0; start < records.length; start += PER_MESSAGE) {
    const features = new Float32Array(2 * PER_MESSAGE);
    const labels = new Uint32Array(PER_MESSAGE);
    for (let i = 0; i < PER_MESSAGE; i++) {
      const { features: f, label } = records[start + i];
      const byName = f as Readonly<Record<string, number>>;
      features[2 * i] = byName.height_cm;
      features[2 * i + 1] = byName.weight_kg;
      labels[i] = classes.indexOf(label as string);
    }
    messages.push(encodeBinarySamples({ features, featureCount: 2, labels }));
  }
  return messages;
}

describe('learner on a topic of binary records', () => {
  it('trains every good sample, dead-letters the bad records and samples, and commits the end offset', async () => {
    const good = statsvilleMessages();
    const nanFeature = encodeBinarySamples({ features: [170, 70, NaN, 60, 130, 30], featureCount: 2, labels: new Uint32Array([0, 1, 2]) });
    const unknownClass = encodeBinarySamples({ features: [170, 70, 165, 60], featureCount: 2, labels: new Uint32Array([0, 7]) });
    const json = JSON.stringify({ features: { height_cm: 170, weight_kg: 70 }, label: 'man' });
    const truncated = good[0].subarray(0, good[0].length - 4);
    // Offsets: 0-49 good, 50 NaN, 51 JSON, 52-101 good, 102 truncated, 103 unknown class.
    const values = [...good.slice(0, 50), nanFeature, json, ...good.slice(50), truncated, unknownClass];
    const topic = await createTestTopic({ partitions: 1 });
    await produceValues(topic, values);

    const groupId = uniqueName('g');
    const deadLetterPath = join(await mkdtemp(join(tmpdir(), 'binary-dlq-')), 'dead.jsonl');
    const config = learnerConfig(topic, groupId, {
      source: { type: 'kafka', brokers: [...testBroker().brokers], topic, groupId, fromBeginning: true, format: 'binary' },
      deadLetter: { path: deadLetterPath },
      training: { ...STATSVILLE_LEARNER.training, idleExitMs: IDLE_EXIT_MS },
    });
    const { summary } = await runTrainJob(config, { log: quiet });

    expect(summary.records).toBe(values.length);
    // Good: 20,000 + 2 of the NaN message + 1 of the unknown-class message.
    expect(summary.samples).toBe(SAMPLES + 3);
    expect(summary.rejectedByReason).toEqual({ non_finite: 1, bad_magic: 1, truncated: 1, unknown_class: 1 });
    expect(summary.quality.windowAccuracy).toBeGreaterThanOrEqual(0.95);

    const letters = readFileSync(deadLetterPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as DeadLetter);
    const summarized = letters.map((d) => [d.origin.kind === 'kafka' ? d.origin.offset : null, d.reason, d.part ?? null]);
    expect(summarized).toEqual([
      ['50', 'non_finite', { index: 1, count: 3 }],
      ['51', 'bad_magic', null],
      ['102', 'truncated', null],
      ['103', 'unknown_class', { index: 1, count: 2 }],
    ]);

    const progress = await groupProgress(groupId, topic);
    expect(progress.end).toEqual([String(values.length)]);
    expect(progress.committed).toEqual(progress.end);
  });
});
