/**
 * Acceptance 3 of the Kafka layer: an independent client (kcat, on librdkafka) and ours read each
 * other's records. Compared: keys, values (UTF-8 text and null tombstones), headers, and the partition
 * a key lands in: kcat with librdkafka's murmur2_random partitioner (documented as the Java
 * producer's) and our producer must agree.
 */
import { describe, expect, it } from 'vitest';
import type { KafkaRecord, ProduceRecord } from '../../src/sources/kafka/index.js';
import { kcatReadAll, runKcat } from '../helpers/kafka-kcat.js';
import { createTestTopic, deferred, testBroker, testKafkaClient, uniqueName } from '../helpers/kafka.js';

const COUNT = 300;

/** Keys user-0..; every 50th value is null (a tombstone); values carry non-ASCII text. */
function sampleRecords(): Array<{ key: string; value: string | null }> {
  return Array.from({ length: COUNT }, (_, i) => ({
    key: `user-${i}`,
    value: i % 50 === 49 ? null : JSON.stringify({ features: [i, i / 7], label: `größe ✓ ${i}` }),
  }));
}

/** kcat -P input: key TAB value per line; -Z turns the empty value into null. */
function kcatInput(records: ReturnType<typeof sampleRecords>): string {
  return records.map(({ key, value }) => `${key}\t${value ?? ''}\n`).join('');
}

function kcatProduceArgs(topic: string, headers: string[]): string[] {
  const brokers = testBroker().brokers.join(',');
  const headerArgs = headers.flatMap((header) => ['-H', header]);
  return ['-P', '-b', brokers, '-t', topic, '-K', '\t', '-Z', '-X', 'partitioner=murmur2_random', ...headerArgs];
}

describe('Kafka layer and kcat', () => {
  it('consumes what kcat produced: same keys, values, tombstones and headers', async () => {
    const topic = await createTestTopic({ partitions: 3 });
    const sent = sampleRecords();
    await runKcat(kcatProduceArgs(topic, ['source=kcat', 'run=1']), kcatInput(sent));

    const received: KafkaRecord[] = [];
    const allReceived = deferred();
    const groupId = uniqueName('g');
    const consumer = await testKafkaClient().consumer({ groupId, topics: [topic], maxWaitTimeMs: 200 });
    await consumer.consume({
      async onBatch(records) {
        received.push(...records);
        if (received.length >= COUNT) allReceived.resolve();
      },
      onCrash(error, restarting) {
        if (!restarting) allReceived.reject(error);
      },
    });
    await allReceived.promise;
    await consumer.disconnect();

    const asSent = received
      .map(({ origin, value }) => ({ key: origin.key, value: value === null ? null : value.toString('utf8') }))
      .sort((a, b) => Number(a.key?.slice(5)) - Number(b.key?.slice(5)));
    expect(asSent).toEqual(sent);
    for (const { headers } of received) {
      expect(String(headers.source)).toBe('kcat');
      expect(String(headers.run)).toBe('1');
    }
  });

  it('produces what kcat reads back, with keys in the partitions librdkafka murmur2 picks', async () => {
    const [ours, theirs] = [await createTestTopic({ partitions: 3 }), await createTestTopic({ partitions: 3 })];
    const records = sampleRecords();
    const producer = await testKafkaClient().producer();
    const headers = { source: 'online-learner' };
    await producer.send(ours, records.map(({ key, value }): ProduceRecord => ({ key, value, headers })));
    await producer.disconnect();
    await runKcat(kcatProduceArgs(theirs, []), kcatInput(records));

    const readOurs = await kcatReadAll(testBroker().brokers, ours);
    const readTheirs = await kcatReadAll(testBroker().brokers, theirs);
    const byKey = (messages: typeof readOurs) =>
      [...messages].sort((a, b) => Number(a.key?.slice(5)) - Number(b.key?.slice(5)));

    expect(byKey(readOurs).map(({ key, payload }) => ({ key, value: payload }))).toEqual(records);
    for (const { headers } of readOurs) expect(headers).toEqual(['source', 'online-learner']);
    expect(byKey(readOurs).map((m) => m.partition)).toEqual(byKey(readTheirs).map((m) => m.partition));
    expect(new Set(readOurs.map((m) => m.partition))).toEqual(new Set([0, 1, 2]));
  });
});
