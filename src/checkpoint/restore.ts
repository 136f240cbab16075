/**
 * restoreLearnerState: puts a checkpoint into a FRESH Learner (built, not yet run) so that reading the
 * stream from `checkpoint.position` continues exactly where the checkpoint was taken.
 *
 * The learner's own config wins for hyper-parameters: its optimizer was built with the current learning
 * rate (or schedule) and `setState` keeps that schedule while restoring slots and step, so a changed lr
 * applies from the next step. Changes are listed in the report.
 *
 * A checkpoint whose model signature (signature.ts) differs is refused with CheckpointIncompatibleError
 * naming every difference, unless `reset` is set. Reset keeps the checkpoint's stream position and
 * counters, so no record is read twice, but starts a fresh model, optimizer and training statistics
 * from the new config; the standardizer, the shuffle buffer's residents and the shuffle RNG are kept
 * when the schema and standardization are unchanged, and otherwise the residents are dropped (counted
 * in the report: those records are never trained).
 */
import { LearnerError } from '../errors.js';
import type { Learner } from '../pipeline/learner.js';
import { snapshotModel } from '../server/model-export.js';
import { copyCounters, copyPosition, copySample } from './capture.js';
import { CheckpointIncompatibleError } from './errors.js';
import { differences, learnerSignature } from './signature.js';
import type { Checkpoint, CheckpointPosition } from './types.js';

export interface RestoreOptions {
  /** When the model signature differs: start a fresh model from the checkpoint's position instead of refusing. */
  readonly reset?: boolean;
}

export interface RestoreReport {
  /** Where the source must continue reading. */
  readonly position: CheckpointPosition;
  /** True when the model, optimizer and training statistics were NOT restored (reset of an incompatible checkpoint). */
  readonly reset: boolean;
  /** Model-shape differences (only non-empty with reset). */
  readonly incompatible: readonly string[];
  /** Hyper-parameter differences that take effect from the next step, e.g. `optimizer.lr: 0.01 -> 0.005`. */
  readonly changed: readonly string[];
  /** Residents dropped because their features no longer fit (reset with a new schema). */
  readonly residentsDropped: number;
  readonly warnings: readonly string[];
}

export function restoreLearnerState(learner: Learner, checkpoint: Checkpoint, { reset = false }: RestoreOptions = {}): RestoreReport {
  if (learner.counters.records !== 0 || learner.setup.trainer.steps !== 0) {
    throw new LearnerError(
      'CHECKPOINT_RESTORE_TOO_LATE',
      'restoreLearnerState: the learner has already consumed records; restore into a freshly built Learner',
    );
  }
  const { setup } = learner;
  const current = learnerSignature(learner, snapshotModel(learner).tensors);
  const incompatible = [
    ...differences(checkpoint.signature, current),
    ...differences({ optimizer: { type: checkpoint.optimizer.type } }, { optimizer: { type: setup.optimizer.type } }),
  ];
  const changed = differences(hyperParameters(checkpoint.config), hyperParameters(learner.config));
  const warnings: string[] = [];

  if (incompatible.length > 0 && !reset) {
    throw new CheckpointIncompatibleError(
      `checkpoint (config hash ${checkpoint.configHash.slice(0, 12)}) does not fit this learner: ${incompatible.join('; ')}. ` +
        'Start with --reset (checkpoint.reset: true) for a fresh model from the checkpoint\'s stream position, or use the checkpoint\'s config.',
      incompatible,
    );
  }

  if (incompatible.length === 0) {
    // Order matters: setState validates everything before it changes anything, so a refusal here
    // leaves the learner untouched.
    try {
      setup.optimizer.setState(checkpoint.optimizer);
    } catch (err) {
      const optimizerChanges = differences(checkpoint.config.optimizer, learner.config.optimizer).map((c) => `optimizer.${c}`);
      throw new CheckpointIncompatibleError(
        `checkpoint optimizer state does not fit this optimizer (${(err as Error).message}); ` +
          `changed: ${optimizerChanges.join('; ') || 'nothing in the config'}`,
        optimizerChanges,
      );
    }
    setup.model.setParameters(Object.fromEntries(Object.entries(checkpoint.parameters).map(([name, t]) => [name, t.data])));
    setup.trainer.setState(trainerStateFor(learner, checkpoint, warnings));
    setup.dropoutRng.setState(checkpoint.rng.dropout);
  }

  // Differences in the schema or standardization mean the residents' features and the statistics no
  // longer describe what this learner's inputs are.
  const inputsKept = differences(
    { schema: checkpoint.signature.schema, standardize: checkpoint.signature.standardize },
    { schema: current.schema, standardize: current.standardize },
  ).length === 0;
  let residentsDropped = 0;
  if (inputsKept) {
    if (learner.standardizer !== null && checkpoint.standardizer !== null) learner.standardizer.setState(checkpoint.standardizer);
    learner.shuffleRng.setState(checkpoint.rng.shuffle);
    learner.shuffleState.residents = checkpoint.residents.map(copySample);
  } else {
    residentsDropped = checkpoint.residents.length;
    if (residentsDropped > 0) {
      warnings.push(`${residentsDropped} shuffle-buffer residents were dropped: their features do not fit the new schema`);
    }
  }
  Object.assign(learner.counters, copyCounters(checkpoint.counters));
  return { position: copyPosition(checkpoint.position), reset: incompatible.length > 0, incompatible, changed, residentsDropped, warnings };
}

/** The config minus what the signature covers (those are incompatibilities, not changes). */
function hyperParameters(config: Learner['config']): unknown {
  const { schema: _schema, standardize: _standardize, model, loss, ...rest } = config;
  const { type: _type, activation: _activation, hidden: _hidden, dtype: _dtype, ...modelRest } = model;
  const { type: _lossType, ...lossRest } = loss;
  return { ...rest, model: modelRest, loss: lossRest };
}

/**
 * The rolling quality windows are ring buffers of the configured size: a new size cannot take the old
 * contents, so the windows restart (totals and the running loss are kept).
 */
function trainerStateFor(learner: Learner, checkpoint: Checkpoint, warnings: string[]): Checkpoint['trainer'] {
  const fresh = learner.setup.trainer.getState();
  const saved = checkpoint.trainer;
  if (saved.quality.windowCorrect.values.length === fresh.quality.windowCorrect.values.length) return saved;
  const sizes = `${saved.quality.windowCorrect.values.length} -> ${fresh.quality.windowCorrect.values.length}`;
  warnings.push(`qualityWindow changed (${sizes}): the rolling quality figures restart`);
  const { windowCorrect, windowSquaredError, windowLogLoss } = fresh.quality;
  return { ...saved, quality: { ...saved.quality, windowCorrect, windowSquaredError, windowLogLoss } };
}
