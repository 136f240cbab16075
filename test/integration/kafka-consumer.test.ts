/**
 * The consumer's controls against a real broker: pause/resume per partition, seek from onAssigned,
 * a failing handler, a commit kafkajs would drop silently, and kafkajs errors arriving as KafkaErrors.
 */
import { describe, expect, it } from 'vitest';
import { KafkaError, nextOffsets, type KafkaRecord } from '../../src/sources/kafka/index.js';
import { createTestTopic, deferred, testKafkaClient, uniqueName } from '../helpers/kafka.js';

/** Long enough for several empty fetch rounds at maxWaitTimeMs 200. */
const QUIET_MS = 1_500;

function numbered(count: number, partition?: number) {
  return Array.from({ length: count }, (_, i) => ({ value: String(i), partition }));
}

describe('Kafka consumer controls', () => {
  it('delivers nothing from a paused partition until it is resumed, while the others flow', async () => {
    const topic = await createTestTopic({ partitions: 2 });
    const client = testKafkaClient();
    const producer = await client.producer();
    await producer.send(topic, [...numbered(20, 0), ...numbered(20, 1)]);
    await producer.disconnect();

    const byPartition: KafkaRecord[][] = [[], []];
    const partition1Done = deferred();
    const partition0Done = deferred();
    const consumer = await client.consumer({ groupId: uniqueName('g'), topics: [topic], maxWaitTimeMs: 200 });
    consumer.pause([{ topic, partition: 0 }]);
    await consumer.consume({
      async onBatch(records, { partition }) {
        byPartition[partition].push(...records);
        if (byPartition[1].length === 20) partition1Done.resolve();
        if (byPartition[0].length === 20) partition0Done.resolve();
      },
      onCrash(error, restarting) {
        if (!restarting) partition1Done.reject(error);
      },
    });
    await partition1Done.promise;
    await new Promise((done) => setTimeout(done, QUIET_MS));
    expect(byPartition[0]).toHaveLength(0);
    expect(consumer.paused()).toEqual([{ topic, partition: 0 }]);

    consumer.resume([{ topic, partition: 0 }]);
    await partition0Done.promise;
    await consumer.disconnect();
    expect(consumer.paused()).toEqual([]);
    expect(byPartition[0].map((r) => r.origin.offset)).toEqual(numbered(20).map((r) => r.value));
  });

  it('starts at the offset sought in onAssigned, ignoring what the group would start from', async () => {
    const topic = await createTestTopic({ partitions: 1 });
    const client = testKafkaClient();
    const producer = await client.producer();
    await producer.send(topic, numbered(10));
    await producer.disconnect();

    const offsets: string[] = [];
    const assignments: string[] = [];
    const lastSeen = deferred();
    const consumer = await client.consumer({ groupId: uniqueName('g'), topics: [topic], maxWaitTimeMs: 200 });
    await consumer.consume({
      onAssigned(partitions) {
        assignments.push(JSON.stringify(partitions));
        consumer.seek({ topic, partition: 0, offset: '6' });
      },
      async onBatch(records) {
        offsets.push(...records.map((r) => r.origin.offset));
        if (offsets.includes('9')) lastSeen.resolve();
      },
      onCrash(error, restarting) {
        if (!restarting) lastSeen.reject(error);
      },
    });
    await lastSeen.promise;
    expect(consumer.assignment()).toEqual([{ topic, partition: 0 }]);
    await consumer.disconnect();
    expect(offsets).toEqual(['6', '7', '8', '9']);
    expect(assignments).toEqual([JSON.stringify([{ topic, partition: 0 }])]);
  });

  it('stops for good when onBatch throws, handing its error to onCrash unchanged', async () => {
    const topic = await createTestTopic({ partitions: 1 });
    const client = testKafkaClient();
    const producer = await client.producer();
    await producer.send(topic, numbered(5));
    await producer.disconnect();

    const failure = new Error('decoder bug');
    let batches = 0;
    const crashed = deferred<{ error: Error; restarting: boolean }>();
    const consumer = await client.consumer({ groupId: uniqueName('g'), topics: [topic], maxWaitTimeMs: 200 });
    await consumer.consume({
      async onBatch() {
        batches++;
        throw failure;
      },
      onCrash(error, restarting) {
        crashed.resolve({ error, restarting });
      },
    });
    const { error, restarting } = await crashed.promise;
    expect(error).toBe(failure);
    expect(restarting).toBe(false);
    await new Promise((done) => setTimeout(done, QUIET_MS));
    expect(batches).toBe(1);
    await consumer.disconnect();
  });

  it('rejects a commit that kafkajs skipped silently because the consumer was stopping', async () => {
    const topic = await createTestTopic({ partitions: 1 });
    const client = testKafkaClient();
    const producer = await client.producer();
    await producer.send(topic, numbered(3));
    await producer.disconnect();

    const groupId = uniqueName('g');
    const inBatch = deferred();
    const release = deferred();
    const commitOutcome = deferred<unknown>();
    const consumer = await client.consumer({ groupId, topics: [topic], maxWaitTimeMs: 200 });
    await consumer.consume({
      async onBatch(records) {
        inBatch.resolve();
        await release.promise;
        commitOutcome.resolve(await consumer.commit(nextOffsets(records)).catch((error: unknown) => error));
      },
      onCrash(error, restarting) {
        if (!restarting) commitOutcome.reject(error);
      },
    });
    await inBatch.promise;
    // kafkajs marks its runner stopped at once, then waits for the batch in flight to finish.
    const disconnecting = consumer.disconnect();
    release.resolve();
    const outcome = await commitOutcome.promise;
    await disconnecting;

    expect(outcome).toBeInstanceOf(KafkaError);
    expect(outcome).toMatchObject({ code: 'KAFKA_COMMIT_NOT_APPLIED', retriable: true });
    const admin = await client.admin();
    expect(await admin.committedOffsets(groupId, topic)).toEqual([{ topic, partition: 0, offset: null }]);
    await admin.disconnect();
  });

  it('reports broker refusals as KafkaErrors with the Kafka error name and the retriable flag', async () => {
    const admin = await testKafkaClient().admin();
    const topic = uniqueName('t');
    const invalid = admin.createTopics([{ topic, config: { 'cleanup.policy': 'sometimes' } }]);
    await expect(invalid).rejects.toBeInstanceOf(KafkaError);
    await expect(invalid).rejects.toMatchObject({ code: 'KAFKA_INVALID_CONFIG', retriable: false });

    expect(await admin.createTopics([{ topic, partitions: 2, config: { 'cleanup.policy': 'compact' } }])).toBe(true);
    expect(await admin.createTopics([{ topic, partitions: 2 }])).toBe(false);
    expect((await admin.endOffsets(topic)).map((o) => o.offset)).toEqual(['0', '0']);
    expect(await admin.committedOffsets(uniqueName('g'), topic)).toEqual([
      { topic, partition: 0, offset: null },
      { topic, partition: 1, offset: null },
    ]);
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  });
});
