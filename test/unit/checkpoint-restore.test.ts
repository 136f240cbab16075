/**
 * Restoring into a learner whose config differs: model-shape changes are refused with every difference
 * named (or reset on request), hyper-parameter changes apply from the next step.
 */
import { concat, from, NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { captureLearnerState } from '../../src/checkpoint/capture.js';
import { CheckpointIncompatibleError } from '../../src/checkpoint/errors.js';
import { restoreLearnerState } from '../../src/checkpoint/restore.js';
import type { Checkpoint } from '../../src/checkpoint/types.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';

const base: LearnerConfig = {
  schema: { features: ['h', 'w'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
  model: { type: 'mlp', hidden: [3] },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'sgd', lr: 0.01, momentum: 0.9 },
  batchSize: 2,
  maxWaitMs: Infinity,
  shuffleBuffer: 3,
  standardize: true,
  seed: 1,
  qualityWindow: 50,
};

/** 9 records, shuffle buffer 3, batches of 2: 3 steps applied, 3 residents. */
function checkpointOf(config: LearnerConfig): Checkpoint {
  const learner = new Learner(config);
  const records = Array.from({ length: 9 }, (_, index) => ({
    value: JSON.stringify({ features: { h: 100 + 10 * index, w: 20 + 7 * index }, label: ['man', 'woman', 'child'][index % 3] }),
    origin: { kind: 'memory' as const, index },
  }));
  learner.run(concat(from(records), NEVER)).subscribe().unsubscribe();
  return captureLearnerState(learner, { kind: 'memory', nextIndex: 9 });
}

const saved = checkpointOf(base);

function refusal(config: LearnerConfig): CheckpointIncompatibleError {
  try {
    restoreLearnerState(new Learner(config), saved);
  } catch (err) {
    if (err instanceof CheckpointIncompatibleError) return err;
    throw err;
  }
  throw new Error('restore succeeded');
}

describe('restoring into a learner with another model shape', () => {
  it('refuses a changed hidden layer, naming every parameter whose shape changed', () => {
    const err = refusal({ ...base, model: { type: 'mlp', hidden: [4] } });
    expect(err.changes).toEqual([
      'model.parameters.dense0.weight: [3,2] -> [4,2]',
      'model.parameters.dense0.bias: [3] -> [4]',
      'model.parameters.dense1.weight: [3,3] -> [3,4]',
    ]);
    expect(err.message).toMatch(/^checkpoint \(config hash [0-9a-f]{12}\) does not fit this learner: model\.parameters\.dense0\.weight: \[3,2\] -> \[4,2\]; /);
    expect(err.message).toContain('Start with --reset');
  });

  it('names a changed schema, activation, loss, dtype, standardization and optimizer type', () => {
    expect(refusal({ ...base, schema: { ...base.schema, features: ['w', 'h'] } }).changes).toEqual(['schema.features: ["h","w"] -> ["w","h"]']);
    expect(refusal({ ...base, model: { ...base.model, activation: 'tanh' } }).changes).toEqual(['model.activation: "relu" -> "tanh"']);
    expect(refusal({ ...base, loss: { type: 'multiclass_hinge' } }).changes).toEqual(['loss: "softmax_cross_entropy" -> "multiclass_hinge"']);
    expect(refusal({ ...base, model: { ...base.model, dtype: 'float64' } }).changes).toEqual(['model.dtype: "float32" -> "float64"']);
    expect(refusal({ ...base, standardize: false }).changes).toEqual(['standardize: true -> false']);
    expect(refusal({ ...base, optimizer: { type: 'adam' } }).changes).toEqual(['optimizer.type: "sgd" -> "adam"']);
  });

  it('refuses optimizer state that does not fit (momentum turned off drops its buffer), naming the change, and leaves the learner untouched', () => {
    const config: LearnerConfig = { ...base, optimizer: { type: 'sgd', lr: 0.01 } };
    expect(refusal(config).changes).toEqual(['optimizer.momentum: 0.9 -> (absent)']);
    const learner = new Learner(config);
    const fresh = learner.setup.model.getParameters();
    expect(() => restoreLearnerState(learner, saved)).toThrow(CheckpointIncompatibleError);
    expect(learner.setup.model.getParameters()).toEqual(fresh);
    expect(learner.counters.records).toBe(0);
  });

  it('treats an explicit default as no change', () => {
    const report = restoreLearnerState(new Learner({ ...base, model: { type: 'mlp', hidden: [3], activation: 'relu', dtype: 'float32' } }), saved);
    expect(report.incompatible).toEqual([]);
    expect(report.changed).toEqual([]);
  });

  it('with reset: keeps the stream position, counters, standardizer and residents; model and optimizer start fresh', () => {
    const config = { ...base, model: { type: 'mlp' as const, hidden: [5] } };
    const learner = new Learner(config);
    const fresh = new Learner(config).setup.model.getParameters();
    const report = restoreLearnerState(learner, saved, { reset: true });
    expect(report.reset).toBe(true);
    expect(report.incompatible.length).toBe(3);
    expect(report.position).toEqual({ kind: 'memory', nextIndex: 9 });
    expect(learner.setup.model.getParameters()).toEqual(fresh);
    expect(learner.setup.optimizer.getState()).toEqual({ type: 'sgd', step: 0, slots: {} });
    expect(learner.counters).toEqual(saved.counters);
    expect(learner.counters.batchesApplied).toBe(3);
    expect(learner.shuffleState.residents).toEqual(saved.residents);
    expect(learner.standardizer?.getState()).toEqual(saved.standardizer);
    expect(report.residentsDropped).toBe(0);
  });

  it('with reset and a new schema: the residents no longer fit and are dropped, and the report says so', () => {
    const learner = new Learner({ ...base, schema: { ...base.schema, features: ['h', 'w', 'age'] } });
    const report = restoreLearnerState(learner, saved, { reset: true });
    expect(report.residentsDropped).toBe(3);
    expect(report.warnings).toEqual(['3 shuffle-buffer residents were dropped: their features do not fit the new schema']);
    expect(learner.shuffleState.residents).toEqual([]);
    expect(learner.standardizer?.getState().count).toBe(0);
  });
});

describe('restoring into a learner with other hyper-parameters', () => {
  it('keeps the optimizer slots and step but takes the new learning rate, and lists what changed', () => {
    const config: LearnerConfig = { ...base, optimizer: { type: 'sgd', lr: 0.002, momentum: 0.9 }, batchSize: 4, seed: 9 };
    const learner = new Learner(config);
    const report = restoreLearnerState(learner, saved);
    expect(report.reset).toBe(false);
    expect(report.changed).toEqual(['optimizer.lr: 0.01 -> 0.002', 'batchSize: 2 -> 4', 'seed: 1 -> 9']);
    expect(learner.setup.optimizer.getState()).toEqual(saved.optimizer);
    expect(learner.setup.optimizer.currentLr()).toBe(0.002);
    // The seed only seeds fresh streams: the restored ones continue.
    expect(learner.setup.dropoutRng.getState()).toEqual(saved.rng.dropout);
  });

  it('restarts the rolling quality windows when their size changed, keeping the totals', () => {
    const learner = new Learner({ ...base, qualityWindow: 10 });
    const report = restoreLearnerState(learner, saved);
    expect(report.warnings).toEqual(['qualityWindow changed (50 -> 10): the rolling quality figures restart']);
    const quality = learner.setup.trainer.getState().quality;
    expect(quality.samples).toBe(saved.trainer.quality.samples);
    expect(quality.windowCorrect.filled).toBe(0);
  });

  it('refuses a learner that has already consumed records', () => {
    const used = new Learner(base);
    used.run(from([{ value: 'x', origin: { kind: 'memory' as const, index: 0 } }])).subscribe();
    expect(() => restoreLearnerState(used, saved)).toThrow(/restore into a freshly built Learner/);
  });
});
