/**
 * Backpressure against a real broker: a learner whose steps are slow (35 ms each) reads a backlog that
 * arrives in one fetch. The source holds at most shuffle capacity + two minibatches, waits inside the
 * batch handler for ~12 s (twice the session timeout) heartbeating all along, and the group never
 * rebalances.
 */
import { take, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { heldRecordLimits } from '../../src/app/kafka-held-records.js';
import { kafkaRecordSource } from '../../src/app/kafka-source.js';
import { runLearner } from '../../src/app/run-learner.js';
import { learnerConfigOf } from '../../src/config/assemble.js';
import { Learner } from '../../src/pipeline/learner.js';
import { createTestTopic, testKafkaClient, uniqueName } from '../helpers/kafka.js';
import { groupProgress, learnerConfig, produceValues, statsvilleLines } from '../helpers/learner-kafka.js';

const RECORDS = 6_000;
const SHUFFLE_BUFFER = 200;
const BATCH_SIZE = 16;
const STEP_MS = 35;
/** The broker's smallest allowed session (group.min.session.timeout.ms): 375 steps of 35 ms last twice as long. */
const SESSION_TIMEOUT_MS = 6_000;

describe('learner backpressure on a Kafka topic', () => {
  it('holds at most capacity + 2 minibatches while steps are slow, and keeps its group membership', async () => {
    const topic = await createTestTopic({ partitions: 1 });
    // ~90 bytes a record: the whole backlog fits one fetch (1 MB per partition).
    await produceValues(topic, statsvilleLines(RECORDS, 5));
    const groupId = uniqueName('g');
    const config = learnerConfig(topic, groupId, { training: { shuffleBuffer: SHUFFLE_BUFFER, batchSize: BATCH_SIZE } });
    const consumer = await testKafkaClient().consumer({
      groupId,
      topics: [topic],
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: 1_000,
      maxWaitTimeMs: 500,
    });
    let joins = 0;
    let batches = 0;
    const limits = heldRecordLimits(SHUFFLE_BUFFER, BATCH_SIZE);
    const source = kafkaRecordSource(consumer, {
      description: topic,
      topics: [topic],
      ...limits,
      // Offset commits also count as signs of life to the coordinator: none until close, so that only the
      // source's heartbeats keep the membership.
      commitIntervalMs: 600_000,
      onAssigned: () => joins++,
      onLag: () => batches++,
    });

    // Held = emitted and not yet acknowledged, measured outside the source.
    let held = 0;
    let maxHeld = 0;
    const records = source.records.pipe(
      take(RECORDS),
      tap(() => {
        held++;
        maxHeld = Math.max(maxHeld, held);
      }),
    );
    const learner = new Learner(learnerConfigOf(config));
    const started = performance.now();
    try {
      await runLearner(learner, records, {
        ack: (origin) => {
          held--;
          source.ack(origin);
        },
        beforeStep: () => new Promise((done) => setTimeout(done, STEP_MS)),
      });
    } finally {
      await source.close();
    }
    const seconds = (performance.now() - started) / 1000;

    expect(learner.summary().samples).toBe(RECORDS);
    expect(held).toBe(0);
    // 200 in the shuffle buffer, one minibatch stepping, one waiting: the pause mark, reached exactly.
    expect(maxHeld).toBe(SHUFFLE_BUFFER + 2 * BATCH_SIZE);
    expect(limits.maxHeldRecords).toBe(maxHeld);
    // One fetched batch: the source waited inside one handler call for longer than two session timeouts.
    expect(batches).toBe(1);
    expect(seconds).toBeGreaterThan((2 * SESSION_TIMEOUT_MS) / 1000);
    expect(joins).toBe(1);
    const progress = await groupProgress(groupId, topic);
    expect(progress.committed).toEqual([String(RECORDS)]);
  });
});
