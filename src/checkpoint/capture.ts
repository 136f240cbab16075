/**
 * captureLearnerState: a deep copy of everything a Learner needs to continue exactly (DESIGN.md §2).
 *
 * Call it between steps: synchronously from a `step` event, or after a run completed. The pipeline is
 * synchronous downstream of the source, so at a step event the minibatch being assembled is empty and
 * every record the source has handed over is either trained, dead-lettered, or resident in the shuffle
 * buffer; `position` must be the source's position right after that record (PositionTracker). Taken
 * anywhere else (e.g. from a `rejected` event) samples waiting in a partial minibatch would be lost.
 *
 * Everything is copied, so training may go on while the checkpoint is encoded and written.
 */
import { cloneTensor } from '../math/tensor.js';
import type { Learner, LearnerCounters } from '../pipeline/learner.js';
import type { Sample } from '../pipeline/sample.js';
import { snapshotModel } from '../server/model-export.js';
import { learnerSignature, signatureHash } from './signature.js';
import type { Checkpoint, CheckpointPosition } from './types.js';

export interface CaptureOptions {
  /** Clock of `createdAt`. */
  readonly now?: () => Date;
}

export function captureLearnerState(learner: Learner, position: CheckpointPosition, { now = () => new Date() }: CaptureOptions = {}): Checkpoint {
  const { setup, standardizer, shuffleRng } = learner;
  const parameters = snapshotModel(learner).tensors;
  const signature = learnerSignature(learner, parameters);
  return {
    createdAt: now().toISOString(),
    configHash: signatureHash(signature),
    signature,
    config: learner.config,
    parameters,
    optimizer: setup.optimizer.getState(),
    trainer: setup.trainer.getState(),
    rng: { dropout: setup.dropoutRng.getState(), shuffle: shuffleRng.getState() },
    standardizer: standardizer === null ? null : standardizer.getState(),
    residents: learner.shuffleState.residents.map(copySample),
    counters: copyCounters(learner.counters),
    position: copyPosition(position),
  };
}

export function copySample(sample: Sample): Sample {
  const y = typeof sample.y === 'number' ? sample.y : new Float64Array(sample.y);
  // Origins are immutable values: sharing them is safe.
  return { kind: 'sample', x: cloneTensor(sample.x), y, weight: sample.weight, ...(sample.id === undefined ? {} : { id: sample.id }), origin: sample.origin };
}

export function copyCounters(counters: LearnerCounters): LearnerCounters {
  return { ...counters, rejected: { ...counters.rejected }, batchesRefused: { ...counters.batchesRefused } };
}

export function copyPosition(position: CheckpointPosition): CheckpointPosition {
  if (position.kind !== 'kafka') return { ...position };
  // No prototype: "__proto__" is a legal topic name.
  const offsets = Object.create(null) as Record<string, Record<string, string>>;
  for (const [topic, partitions] of Object.entries(position.offsets)) offsets[topic] = Object.assign(Object.create(null) as Record<string, string>, partitions);
  return { kind: 'kafka', offsets };
}
