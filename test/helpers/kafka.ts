/**
 * Test helpers for the broker the global setup provides: clients, per-test unique names, topics.
 */
import { randomBytes } from 'node:crypto';
import { expect, inject } from 'vitest';
import { createKafkaClient } from '../../src/sources/kafka/index.js';
import type { KafkaClient, KafkaClientOptions, KafkaLogLevel, TopicSpec } from '../../src/sources/kafka/index.js';
import type { KafkaTestBroker } from '../setup/kafka-context.js';

export function testBroker(): KafkaTestBroker {
  return inject('kafka');
}

/** A client on the test broker; KAFKA_TEST_LOG_LEVEL=debug shows what kafkajs does. */
export function testKafkaClient(options: Partial<KafkaClientOptions> = {}): KafkaClient {
  return createKafkaClient({
    brokers: testBroker().brokers,
    clientId: 'online-learner-test',
    logLevel: (process.env.KAFKA_TEST_LOG_LEVEL as KafkaLogLevel | undefined) ?? 'silent',
    ...options,
  });
}

/**
 * A topic or group name no other test (or earlier run on the same broker) uses: the current test's
 * name, made legal for Kafka and shortened, plus random hex.
 */
export function uniqueName(prefix: string): string {
  const testName = expect.getState().currentTestName ?? 'suite';
  const slug = testName.replace(/[^a-zA-Z0-9._-]+/g, '-').slice(0, 80);
  return `${prefix}-${slug}-${randomBytes(4).toString('hex')}`;
}

/** Creates a fresh topic (waiting for its leaders) and returns its name. */
export async function createTestTopic(spec: Omit<TopicSpec, 'topic'> = {}): Promise<string> {
  const topic = uniqueName('t');
  const admin = await testKafkaClient().admin();
  try {
    await admin.createTopics([{ ...spec, topic }]);
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A promise settled from a consumer callback, e.g. "all records seen" or "crashed". */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
