/**
 * The acceptance bar of DESIGN.md §2, in memory: a run interrupted after ANY step, its checkpoint
 * encoded to bytes and decoded, restored into a new Learner and continued over the remaining records,
 * ends bit-identical to the uninterrupted run: parameters, optimizer slots and step, trainer statistics,
 * RNG streams, standardizer, counters. Every optimizer type, with dropout, standardization, a shuffle
 * buffer, weighted samples and rejected records in the stream.
 */
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { captureLearnerState } from '../../src/checkpoint/capture.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/checkpoint/codec.js';
import { PositionTracker } from '../../src/checkpoint/position.js';
import { restoreLearnerState } from '../../src/checkpoint/restore.js';
import type { CheckpointPosition } from '../../src/checkpoint/types.js';
import { Rng } from '../../src/math/rng.js';
import type { OptimizerConfig } from '../../src/optim/types.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';
import type { SourceRecord } from '../../src/sources/types.js';

const CLASSES = ['low', 'mid', 'high'];

const classification = (optimizer: OptimizerConfig): LearnerConfig => ({
  schema: { features: ['a', 'b', 'c'], task: 'multiclass', classes: CLASSES },
  model: { type: 'mlp', hidden: [6, 5], activation: 'tanh', dropout: 0.25 },
  loss: { type: 'softmax_cross_entropy' },
  optimizer,
  batchSize: 5,
  maxWaitMs: Infinity,
  shuffleBuffer: 12,
  standardize: true,
  seed: 2024,
  qualityWindow: 20,
  lossHalfLifeSteps: 7,
});

/** Two outputs, label rows (Float64Array targets) including a -0, float64 model, L1 + L2 + clipping. */
const regression: LearnerConfig = {
  schema: { features: 2, task: 'regression', outputs: 2 },
  model: { type: 'mlp', hidden: [4], dropout: 0.5, dtype: 'float64' },
  loss: { type: 'mse' },
  optimizer: { type: 'sgd', lr: { type: 'step', lr: 0.05, stepSize: 7, gamma: 0.5 }, momentum: 0.9, nesterov: true },
  regularization: { l1: 1e-3, l2: 1e-3, clipGradNorm: 1 },
  batchSize: 4,
  maxWaitMs: Infinity,
  shuffleBuffer: 9,
  standardize: true,
  seed: 5,
};

const OPTIMIZERS: OptimizerConfig[] = [
  { type: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 1e-3 },
  { type: 'adagrad', lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 },
  { type: 'rmsprop', lr: 0.01, momentum: 0.5, centered: true },
  { type: 'adam', lr: { type: 'cosine', lr: 0.02, tMax: 30 }, amsgrad: true },
  { type: 'adamw', lr: 0.02 },
];

/** Raw units far from 0 (standardization matters); every 17th record weighted, every 23rd malformed. */
function classificationRecords(n: number): SourceRecord[] {
  const rng = new Rng(77);
  const records: SourceRecord[] = [];
  for (let index = 0; index < n; index++) {
    let value: string;
    if (index % 23 === 11) value = index % 2 === 0 ? 'not json' : '{"features": {"a": 1, "b": 2}, "label": "mid"}';
    else {
      const k = rng.int(3);
      const record: Record<string, unknown> = {
        features: { a: 150 + 20 * k + rng.normal(0, 6), b: 60 + 5 * k + rng.normal(0, 3), c: rng.uniform() },
        label: CLASSES[k],
        id: `r${index}`,
      };
      if (index % 17 === 3) record.weight = 2.5;
      value = JSON.stringify(record);
    }
    records.push({ value, origin: { kind: 'memory', index } });
  }
  return records;
}

function regressionRecords(n: number): SourceRecord[] {
  const rng = new Rng(8);
  const records: SourceRecord[] = [];
  for (let index = 0; index < n; index++) {
    const a = rng.normal(10, 3);
    const b = rng.normal(-4, 2);
    const label = index === 13 ? [-0, 1] : [0.5 * a - b, a + 0.25 * b + rng.normal(0, 0.1)];
    records.push({ value: JSON.stringify({ features: [a, b], label }).replace('[0,1]', '[-0,1]'), origin: { kind: 'memory', index } });
  }
  return records;
}

/** Runs `learner` over `records`, calling `onStep` with the position after each step event. */
async function train(learner: Learner, records: SourceRecord[], start: CheckpointPosition, onStep?: (position: CheckpointPosition) => void): Promise<void> {
  const tracker = new PositionTracker(start);
  const stream = from(records).pipe(tap((record) => tracker.observe(record.origin)));
  await lastValueFrom(
    learner.run(stream).pipe(
      tap((event) => {
        if (event.kind === 'step') onStep?.(tracker.position());
      }),
      toArray(),
    ),
  );
}

/** Everything that must match, as bytes or exact values. */
function fingerprint(learner: Learner): unknown {
  const bytes = (t: Float32Array | Float64Array): string => Buffer.from(t.buffer, t.byteOffset, t.byteLength).toString('hex');
  const { setup } = learner;
  const optimizer = setup.optimizer.getState();
  return {
    params: Object.fromEntries(Object.entries(setup.model.params).map(([k, t]) => [k, bytes(t)])),
    slots: Object.fromEntries(Object.entries(optimizer.slots).map(([k, t]) => [k, bytes(t)])),
    step: optimizer.step,
    trainer: setup.trainer.getState(),
    dropout: setup.dropoutRng.getState(),
    shuffle: learner.shuffleRng.getState(),
    standardizer: learner.standardizer?.getState(),
    counters: learner.counters,
    residents: learner.shuffleState.residents.length,
  };
}

async function expectEveryInterruptionResumesExactly(config: LearnerConfig, records: SourceRecord[]): Promise<number> {
  const straight = new Learner(config);
  await train(straight, records, { kind: 'memory', nextIndex: 0 });
  const expected = fingerprint(straight);

  const saved: Uint8Array[] = [];
  const interrupted = new Learner(config);
  await train(interrupted, records, { kind: 'memory', nextIndex: 0 }, (position) => saved.push(encodeCheckpoint(captureLearnerState(interrupted, position))));
  expect(fingerprint(interrupted)).toEqual(expected);

  for (const bytes of saved) {
    const checkpoint = decodeCheckpoint(bytes);
    const resumed = new Learner(config);
    const report = restoreLearnerState(resumed, checkpoint);
    expect(report.reset).toBe(false);
    const position = report.position as { kind: 'memory'; nextIndex: number };
    await train(resumed, records.slice(position.nextIndex), position);
    expect(fingerprint(resumed)).toEqual(expected);
  }
  return saved.length;
}

describe('a run interrupted after any step resumes bit-identically', () => {
  const records = classificationRecords(230);
  for (const optimizer of OPTIMIZERS) {
    it(`${optimizer.type}: mlp with dropout, standardization, shuffle buffer, weights and rejects`, async () => {
      const steps = await expectEveryInterruptionResumesExactly(classification(optimizer), records);
      // 230 records, 10 malformed: 220 samples in batches of 5.
      expect(steps).toBe(44);
    });
  }

  it('sgd nesterov with a step schedule: float64 regression with label rows, a -0 label, L1, L2 and clipping', async () => {
    const steps = await expectEveryInterruptionResumesExactly(regression, regressionRecords(90));
    // 90 samples in batches of 4: 22 full batches and the final flush of 2.
    expect(steps).toBe(23);
  });

  it('the checkpoint of a finished run restores a learner that has nothing left to do', async () => {
    const config = classification(OPTIMIZERS[3]);
    const learner = new Learner(config);
    await train(learner, records, { kind: 'memory', nextIndex: 0 });
    const restored = new Learner(config);
    const report = restoreLearnerState(restored, decodeCheckpoint(encodeCheckpoint(captureLearnerState(learner, { kind: 'memory', nextIndex: records.length }))));
    expect(report.position).toEqual({ kind: 'memory', nextIndex: 230 });
    await train(restored, [], report.position);
    expect(fingerprint(restored)).toEqual(fingerprint(learner));
  });
});
