/**
 * Helpers of the learner-on-Kafka integration tests: Statsville records on a topic, the learner's
 * configuration for that topic, and the group's offsets next to the topic's end offsets.
 */
import type { AppConfig } from '../../src/config/schema.js';
import { resolveConfig } from '../../src/config/load.js';
import type { ProduceRecord } from '../../src/sources/kafka/index.js';
import { streamRecords } from '../../src/streams/catalogue.js';
import { testBroker, testKafkaClient } from './kafka.js';

export const STATSVILLE_SCHEMA = {
  features: ['height_cm', 'weight_kg'],
  task: 'multiclass',
  classes: ['man', 'woman', 'child'],
} as const;

/** The model: MLP 2 -> 100 -> 3, Adam, batch 32, shuffle buffer 1,000, standardized features. */
export const STATSVILLE_LEARNER = {
  schema: STATSVILLE_SCHEMA,
  model: { type: 'mlp', hidden: [100] },
  optimizer: { type: 'adam' },
  training: { batchSize: 32, shuffleBuffer: 1000, standardize: true },
  metrics: { qualityWindow: 10_000 },
} as const;

export function statsvilleLines(records: number, seed: number): string[] {
  const lines: string[] = [];
  for (const record of streamRecords('statsville', { records, seed })) lines.push(JSON.stringify(record));
  return lines;
}

/** Produces `values` in order, record i to partition i % partitions, in requests of at most 5,000 records. */
export async function produceValues(
  topic: string,
  values: ReadonlyArray<ProduceRecord['value']>,
  partitions = 1,
): Promise<void> {
  const producer = await testKafkaClient().producer();
  try {
    for (let start = 0; start < values.length; start += 5000) {
      const chunk = values.slice(start, start + 5000).map((value, i) => ({ value, partition: (start + i) % partitions }));
      await producer.send(topic, chunk);
    }
  } finally {
    await producer.disconnect();
  }
}

/** The Statsville learner reading `topic` in group `groupId` from the beginning, with extra sections merged in. */
export function learnerConfig(
  topic: string,
  groupId: string,
  extra: { training?: Record<string, unknown>; [section: string]: unknown } = {},
): AppConfig {
  const { training, ...sections } = extra;
  const values = {
    ...STATSVILLE_LEARNER,
    source: { type: 'kafka', brokers: [...testBroker().brokers], topic, groupId, fromBeginning: true },
    training: { ...STATSVILLE_LEARNER.training, ...training },
    ...sections,
  };
  return resolveConfig({ file: { values, label: 'test' } });
}

export interface GroupProgress {
  /** Per partition: the group's committed offset (null: none). */
  readonly committed: ReadonlyArray<string | null>;
  /** Per partition: the end offset. */
  readonly end: readonly string[];
}

export async function groupProgress(groupId: string, topic: string): Promise<GroupProgress> {
  const admin = await testKafkaClient().admin();
  try {
    const end = (await admin.endOffsets(topic)).map((o) => o.offset);
    const byPartition = new Map((await admin.committedOffsets(groupId, topic)).map((o) => [o.partition, o.offset]));
    return { committed: end.map((_, partition) => byPartition.get(partition) ?? null), end };
  } finally {
    await admin.disconnect();
  }
}

/** Sum of the committed offsets: with offsets from 0 and no gaps, the records the group is done with. */
export function committedTotal(progress: GroupProgress): number {
  return progress.committed.reduce((sum, offset) => sum + Number(offset ?? 0), 0);
}
