/**
 * Acceptance 3 of recorded streams: replaying is deterministic enough to train on. The shipped
 * 'statsville' stream is replayed (by name) into two fresh one-partition topics; `online-learner train`
 * reads each topic with the same seed; both runs end with the same parameters, and with the same
 * parameters as training on the file itself: replay kept every record and the file's order.
 *
 * The CLI runs in-process so the test can keep the finished learner (CommandContext.runJob wraps the
 * real train job); the hash is the sha256 of the safetensors bytes GET /model would serve.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runTrainJob } from '../../src/app/train-job.js';
import type { TrainJobResult } from '../../src/app/train-job.js';
import { encodeSafetensors } from '../../src/checkpoint/safetensors.js';
import { snapshotMetadata, snapshotModel } from '../../src/server/model-export.js';
import type { Learner } from '../../src/pipeline/learner.js';
import { getStream, streamFilePath } from '../../src/streams/index.js';
import { createTestTopic, uniqueName } from '../helpers/kafka.js';
import { cli } from './replay-harness.js';

const RECORDS = 10_000;
const info = getStream('statsville').info;

/** The stream's recommended model, spelled as flags, plus a shuffle buffer so the seed matters twice. */
const MODEL_FLAGS = [
  '--schema.features', info.featureNames.join(','),
  '--schema.task', info.task,
  '--schema.classes', info.classes.join(','),
  '--model', 'mlp', '--hidden', '100', '--loss', 'softmax_cross_entropy', '--optimizer', 'sgd', '--lr', '0.02',
  '--batch-size', '10', '--standardize', '--shuffle-buffer', '100', '--seed', '7',
  // Only full minibatches and the final flush: no batch boundary may depend on when Kafka delivers.
  '--training.maxWaitMs', '3600000',
  '--port', '0', '--no-progress',
];

function parameterHash(learner: Learner): string {
  const snapshot = snapshotModel(learner);
  return createHash('sha256').update(encodeSafetensors(snapshot.tensors, snapshotMetadata(snapshot))).digest('hex');
}

/** `online-learner train <args>` in-process; resolves with the finished learner's parameter hash. */
async function train(args: string[], brokers: boolean): Promise<{ hash: string; samples: number }> {
  let result: TrainJobResult | undefined;
  const { code, stderr } = await cli(['train', ...args, ...MODEL_FLAGS], {
    brokers,
    runJob: async (config, options) => (result = await runTrainJob(config, options)),
  });
  expect(code, stderr).toBe(0);
  const finished = result as TrainJobResult;
  return { hash: parameterHash(finished.learner), samples: finished.summary.samples };
}

describe('replay, then train', () => {
  it('two replays into one-partition topics train to identical parameters, equal to training on the file', async () => {
    const hashes: string[] = [];
    for (let run = 0; run < 2; run++) {
      const topic = await createTestTopic({ partitions: 1 });
      const replayed = await cli(['replay', 'statsville', '--topic', topic, '--no-progress']);
      expect(replayed.code, replayed.stderr).toBe(0);
      expect(replayed.stdout).toMatch(/^produced 10,000 records/);
      const trained = await train([
        '--topic', topic, '--group', uniqueName('g'), '--from-beginning', '--idle-exit-ms', '5000', '--max-records', String(RECORDS),
      ], true);
      expect(trained.samples).toBe(RECORDS);
      hashes.push(trained.hash);
    }
    const fromFile = await train(['--file', streamFilePath(info) as string], false);
    expect(fromFile.samples).toBe(RECORDS);
    expect(hashes[1]).toBe(hashes[0]);
    expect(fromFile.hash).toBe(hashes[0]);
  });
});
