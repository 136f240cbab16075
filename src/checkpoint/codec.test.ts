import { createHash } from 'node:crypto';
import { concat, from, NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import { captureLearnerState } from './capture.js';
import { decodeCheckpoint, encodeCheckpoint } from './codec.js';
import { CheckpointCorruptError } from './errors.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { CHECKPOINT_FORMAT } from './types.js';

const config: LearnerConfig = {
  schema: { features: ['h', 'w'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
  model: { type: 'mlp', hidden: [3] },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  batchSize: 2,
  maxWaitMs: Infinity,
  shuffleBuffer: 3,
  standardize: true,
  seed: 1,
};

/** 7 records through a shuffle buffer of 3 and batches of 2: 2 steps taken, 3 residents, 0 pending. */
function trainedLearner(): Learner {
  const learner = new Learner(config);
  const lines = [
    { features: { h: 180, w: 80 }, label: 'man', id: 'a' },
    { features: { h: 165, w: 60 }, label: 'woman' },
    { features: { h: 120, w: 25 }, label: 'child', weight: 2 },
    { features: { h: 178, w: 85 }, label: 'man' },
    { features: { h: 160, w: 55 }, label: 'woman' },
    { features: { h: 110, w: 20 }, label: 'child', id: 'f' },
    { features: { h: 185, w: 90 }, label: 'man' },
  ];
  const records = lines.map((line, index) => ({ value: JSON.stringify(line), origin: { kind: 'memory' as const, index } }));
  // The source never completes, so the residents stay (as at a step event); the run is synchronous.
  learner.run(concat(from(records), NEVER)).subscribe().unsubscribe();
  return learner;
}

function checkpointBytes(learner: Learner): Uint8Array {
  return encodeCheckpoint(captureLearnerState(learner, { kind: 'memory', nextIndex: 7 }, { now: () => new Date('2026-01-02T03:04:05.000Z') }));
}

describe('checkpoint file layout', () => {
  it('is one safetensors file: parameters by name, slots, standardizer and residents as tensors, the rest as meta', () => {
    const learner = new Learner(config);
    const residents = [
      { kind: 'sample' as const, x: new Float32Array([0.5, -1]), y: 2, weight: 1, id: 'r1', origin: { kind: 'memory' as const, index: 4 } },
      { kind: 'sample' as const, x: new Float32Array([1.5, 2]), y: 0, weight: 2, origin: { kind: 'memory' as const, index: 6 } },
    ];
    learner.shuffleState.residents = residents;
    learner.setup.optimizer.step(learner.setup.model.params, learner.setup.model.getParameters());
    const file = decodeSafetensors(checkpointBytes(learner));
    const shapes = Object.fromEntries([...file.tensors].map(([name, t]) => [name, [t.data instanceof Float64Array ? 'F64' : 'F32', ...t.shape]]));
    expect(shapes).toEqual({
      'dense0.weight': ['F32', 3, 2],
      'dense0.bias': ['F32', 3],
      'dense1.weight': ['F32', 3, 3],
      'dense1.bias': ['F32', 3],
      'optimizer/dense0.weight/exp_avg': ['F32', 3, 2],
      'optimizer/dense0.weight/exp_avg_sq': ['F32', 3, 2],
      'optimizer/dense0.bias/exp_avg': ['F32', 3],
      'optimizer/dense0.bias/exp_avg_sq': ['F32', 3],
      'optimizer/dense1.weight/exp_avg': ['F32', 3, 3],
      'optimizer/dense1.weight/exp_avg_sq': ['F32', 3, 3],
      'optimizer/dense1.bias/exp_avg': ['F32', 3],
      'optimizer/dense1.bias/exp_avg_sq': ['F32', 3],
      'standardizer/mean': ['F64', 2],
      'standardizer/m2': ['F64', 2],
      'residents/x': ['F32', 2, 2],
    });
    expect(Array.from(file.tensors.get('residents/x')!.data)).toEqual([0.5, -1, 1.5, 2]);
    expect(Object.keys(file.metadata)).toEqual(['format', 'meta', 'sha256']);
    expect(file.metadata.format).toBe('online-learner/checkpoint@1');
    const meta = JSON.parse(file.metadata.meta);
    expect(meta.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(meta.optimizer).toEqual({ type: 'adam', step: 1, slots: expect.any(Array) });
    expect(meta.residents).toEqual([
      { y: 2, weight: 1, id: 'r1', origin: { kind: 'memory', index: 4 } },
      { y: 0, weight: 2, origin: { kind: 'memory', index: 6 } },
    ]);
    expect(meta.position).toEqual({ kind: 'memory', nextIndex: 7 });
    expect(meta.config.maxWaitMs).toEqual({ $number: 'Infinity' });
    expect(meta.configHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('decodes to what was captured', () => {
    const learner = trainedLearner();
    const captured = captureLearnerState(learner, { kind: 'memory', nextIndex: 7 });
    expect(learner.shuffleState.residents.length).toBe(3);
    expect(decodeCheckpoint(encodeCheckpoint(captured))).toEqual(captured);
  });
});

describe('corruption is detected', () => {
  it('a flipped bit anywhere in the tensor data or the meta text fails the checksum', () => {
    const bytes = checkpointBytes(trainedLearner());
    const headerEnd = 8 + Number(Buffer.from(bytes).readBigUInt64LE(0));
    const metaAt = Buffer.from(bytes).indexOf('"createdAt"');
    for (const at of [headerEnd, headerEnd + 17, bytes.length - 1, metaAt + 3]) {
      const bad = Uint8Array.from(bytes);
      bad[at] ^= 0x01;
      expect(() => decodeCheckpoint(bad), `byte ${at}`).toThrow(CheckpointCorruptError);
    }
    const bad = Uint8Array.from(bytes);
    bad[headerEnd + 5] ^= 0x40;
    expect(() => decodeCheckpoint(bad)).toThrow(/checksum mismatch: stored sha256 [0-9a-f]{64}, content hashes to [0-9a-f]{64}/);
  });

  it('a file truncated at any length is refused as corrupt', () => {
    const bytes = checkpointBytes(trainedLearner());
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeCheckpoint(bytes.subarray(0, length)), `truncated to ${length} bytes`).toThrow(CheckpointCorruptError);
    }
  });

  it('meta that is not JSON, under a valid checksum, is refused as corrupt', () => {
    const meta = '{"createdAt": ';
    // The checksum as the format defines it: sha256 of format "\n" meta "\n" data (no tensors here).
    const sha256 = createHash('sha256').update(`${CHECKPOINT_FORMAT}\n${meta}\n`).digest('hex');
    expect(() => decodeCheckpoint(encodeSafetensors({}, { format: CHECKPOINT_FORMAT, meta, sha256 }))).toThrow(/"meta" is not JSON/);
  });

  it('a safetensors file that is not a checkpoint is refused with its format named', () => {
    expect(() => decodeCheckpoint(encodeSafetensors({}, { format: 'online-learner/model@1' }))).toThrow(
      'metadata format is "online-learner/model@1", expected "online-learner/checkpoint@1"',
    );
  });
});
