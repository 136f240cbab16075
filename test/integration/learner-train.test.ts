/**
 * The learner trains from a real Kafka topic end to end: 50,000 Statsville records on 3 partitions, the
 * issue's model (MLP 2 -> 100 -> 3, Adam, batch 32, shuffle buffer 1,000, standardized), the run ending
 * on --idle-exit-ms, and the group's commits reaching the end of every partition.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runTrainJob } from '../../src/app/train-job.js';
import { createTestTopic, uniqueName } from '../helpers/kafka.js';
import { groupProgress, learnerConfig, produceValues, statsvilleLines } from '../helpers/learner-kafka.js';

const RECORDS = 50_000;
const IDLE_EXIT_MS = 1_500;
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

describe('learner on a Kafka topic', () => {
  it('reaches 95% prequential accuracy over the last 10,000 of 50,000 records and commits the end offsets', async () => {
    const topic = await createTestTopic({ partitions: 3 });
    await produceValues(topic, statsvilleLines(RECORDS, 2024), 3);
    const groupId = uniqueName('g');

    const { summary, seconds } = await runTrainJob(learnerConfig(topic, groupId, { training: { idleExitMs: IDLE_EXIT_MS } }), {
      log: quiet,
    });

    expect(summary.records).toBe(RECORDS);
    expect(summary.samples).toBe(RECORDS);
    expect(summary.rejected).toBe(0);
    // The stream's documented ceiling is ~98% (streams/README.md); the window holds the last 10,000 samples.
    expect(summary.quality.windowAccuracy).toBeGreaterThanOrEqual(0.95);
    const progress = await groupProgress(groupId, topic);
    expect(progress.committed).toEqual(progress.end);
    expect(progress.end.reduce((sum, o) => sum + Number(o), 0)).toBe(RECORDS);
    const trainingSeconds = seconds - IDLE_EXIT_MS / 1000;
    console.info(
      `[learner-train] ${RECORDS} records in ${trainingSeconds.toFixed(2)} s, group join included ` +
        `(${Math.round(RECORDS / trainingSeconds)} records/s end to end, the ${IDLE_EXIT_MS} ms idle wait excluded)`,
    );
  });
});
