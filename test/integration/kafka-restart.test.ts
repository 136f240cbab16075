/**
 * Acceptance 2 of the Kafka layer: the broker stops mid-consume and restarts on the same data dir.
 *
 * Consumer A commits after processing every batch and remembers, per partition, the highest commit
 * the broker acknowledged. Once a third of the records is in, one batch (processed, not committed) is
 * held in onBatch while the broker stops, stays down for DOWN_MS and restarts; its commit then goes
 * to the restarted broker, and A carries on by itself (kafkajs reconnects, or restarts it). Afterwards
 * a new consumer B joins the same group.
 *
 * Asserted (at-least-once delivery, commits after processing):
 *   - the topic holds each of the RECORDS ids exactly once, so an id names one partition and offset;
 *   - nothing is lost: A sees every id at least once;
 *   - a commit, once acknowledged, is never undone: no record is delivered again after an acknowledged
 *     commit covered it. Records delivered but not yet committed may come again (counted, logged);
 *   - the group's committed offsets end equal to the end offsets;
 *   - B starts exactly where A's commits left off: it receives only records produced afterwards.
 */
import { describe, expect, it } from 'vitest';
import { nextOffsets, type KafkaClient, type KafkaRecord } from '../../src/sources/kafka/index.js';
import { brokerControl } from '../helpers/kafka-broker-control.js';
import { createTestTopic, deferred, testKafkaClient, uniqueName } from '../helpers/kafka.js';

const RECORDS = 3_000;
const PER_SEND = 100;
const LATE_RECORDS = 100;
const DOWN_MS = 3_000;

const control = brokerControl();

async function produceIds(client: KafkaClient, topic: string, first: number, count: number): Promise<void> {
  const producer = await client.producer();
  // Many small sends make many small record batches: the broker hands out whole batches, so this is
  // what lets the stop land after about a third of the records.
  for (let start = first; start < first + count; start += PER_SEND) {
    const ids = Array.from({ length: Math.min(PER_SEND, first + count - start) }, (_, i) => start + i);
    await producer.send(topic, ids.map((id) => ({ key: `k${id}`, value: String(id) })));
  }
  await producer.disconnect();
}

describe('Kafka layer across a broker restart', () => {
  // Only a broker the global setup started can be restarted (not KAFKA_BROKERS, not testcontainers).
  it.runIf(control)('resumes from committed offsets: nothing lost, nothing committed redelivered', async () => {
    const broker = control!;
    const topic = await createTestTopic({ partitions: 3 });
    const client = testKafkaClient();
    await produceIds(client, topic, 0, RECORDS);

    const deliveries = new Uint16Array(RECORDS);
    const acknowledged = new Map<number, bigint>();
    const redeliveredAfterCommit: string[] = [];
    let delivered = 0;
    let distinct = 0;
    let restarts = 0;
    const third = deferred();
    const brokerBack = deferred();
    const allSeen = deferred();
    const tally = (records: readonly KafkaRecord[]): void => {
      for (const { value, origin } of records) {
        if (BigInt(origin.offset) < (acknowledged.get(origin.partition) ?? 0n)) {
          redeliveredAfterCommit.push(`${origin.partition}:${origin.offset}`);
        }
        const id = Number(String(value));
        if (deliveries[id] === 0) distinct++;
        deliveries[id]++;
        delivered++;
      }
    };

    const groupId = uniqueName('g');
    const consumerA = await client.consumer({
      groupId,
      topics: [topic],
      maxWaitTimeMs: 200,
      maxBytesPerPartition: 4_096,
    });
    await consumerA.consume({
      async onBatch(records) {
        tally(records);
        if (distinct >= RECORDS / 3 && distinct < RECORDS) {
          third.resolve();
          await brokerBack.promise;
        }
        const offsets = nextOffsets(records);
        await consumerA.commit(offsets);
        for (const { partition, offset } of offsets) {
          const next = BigInt(offset);
          if (next > (acknowledged.get(partition) ?? 0n)) acknowledged.set(partition, next);
        }
        if (distinct === RECORDS) allSeen.resolve();
      },
      onCrash(error, restarting) {
        if (restarting) restarts++;
        else allSeen.reject(error);
      },
    });

    await third.promise;
    await broker.stop();
    const distinctAtStop = distinct;
    await new Promise((done) => setTimeout(done, DOWN_MS));
    await broker.start();
    brokerBack.resolve();
    await allSeen.promise;

    const admin = await client.admin();
    const end = await admin.endOffsets(topic);
    // The last commit may still be on its way when the last record is seen.
    let committed = await admin.committedOffsets(groupId, topic);
    for (let attempt = 0; attempt < 50 && JSON.stringify(committed) !== JSON.stringify(end); attempt++) {
      await new Promise((done) => setTimeout(done, 100));
      committed = await admin.committedOffsets(groupId, topic);
    }
    await consumerA.disconnect();

    expect(end.reduce((sum, { offset }) => sum + Number(offset), 0)).toBe(RECORDS);
    expect(distinctAtStop).toBeLessThan(RECORDS);
    expect([...deliveries.keys()].filter((id) => deliveries[id] === 0)).toEqual([]);
    expect(redeliveredAfterCommit).toEqual([]);
    expect(committed).toEqual(end);
    console.log(
      `[kafka-restart] broker stopped with ${distinctAtStop}/${RECORDS} records seen; ` +
        `${delivered - RECORDS} uncommitted record(s) redelivered; ${restarts} consumer restart(s)`,
    );

    await produceIds(client, topic, RECORDS, LATE_RECORDS);
    const lateIds: number[] = [];
    const lateSeen = deferred();
    const consumerB = await client.consumer({ groupId, topics: [topic], maxWaitTimeMs: 200 });
    await consumerB.consume({
      async onBatch(records) {
        lateIds.push(...records.map((r) => Number(String(r.value))));
        await consumerB.commit(nextOffsets(records));
        if (lateIds.length >= LATE_RECORDS) lateSeen.resolve();
      },
      onCrash(error, restarting) {
        if (!restarting) lateSeen.reject(error);
      },
    });
    await lateSeen.promise;
    await consumerB.disconnect();
    const lateEnd = await admin.endOffsets(topic);
    await admin.disconnect();
    expect(lateIds.sort((a, b) => a - b)).toEqual(Array.from({ length: LATE_RECORDS }, (_, i) => RECORDS + i));
    expect(lateEnd.reduce((sum, { offset }) => sum + Number(offset), 0)).toBe(RECORDS + LATE_RECORDS);
  });
});
