/**
 * Checks shared by the losses: their options (ConfigError, naming field, value and rule, e.g.
 * `focal.gamma = -1 is invalid: must be a finite number >= 0`), the shape of a minibatch (ShapeError),
 * and values a loss cannot take (LossInputError): a class index out of range, a probability or binary
 * target outside [0, 1].
 *
 * NaN scores are not rejected: they flow into a NaN loss, which the trainer's non-finite guard
 * dead-letters like any diverged batch (torch's binary_cross_entropy raises on NaN input instead).
 */
import { ConfigError, LearnerError, ShapeError } from '../errors.js';
import type { Tensor } from '../math/tensor.js';
import type { LossType, Reduction, Targets } from './types.js';

/** A target or input value outside what the loss is defined for. A data error, not a configuration one. */
export class LossInputError extends LearnerError {
  constructor(message: string) {
    super('LOSS_INPUT_INVALID', message);
  }
}

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

export function invalidOption(field: string, value: unknown, rule: string): never {
  throw new ConfigError(`${field} = ${show(value)} is invalid: ${rule}`);
}

// Numbers via String so that NaN and Infinity read as themselves (JSON.stringify would print null).
function show(value: unknown): string {
  if (typeof value === 'number' || value === undefined) return String(value);
  return JSON.stringify(value) ?? String(value);
}

export function checkReduction(type: LossType, reduction: unknown): Reduction {
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    invalidOption(`${type}.reduction`, reduction, `must be one of ${REDUCTIONS.join(', ')}`);
  }
  return reduction as Reduction;
}

/** A finite number in [min, max]; `rule` reads as the interval. */
export function checkNumber(field: string, value: unknown, min: number, max = Infinity): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
  if (!ok) {
    const rule = max === Infinity ? `must be a finite number >= ${min}` : `must be a number in [${min}, ${max}]`;
    invalidOption(field, value, rule);
  }
  return value as number;
}

/** Validates the minibatch shape and returns the number of outputs per row. */
export function outputsPerRow(type: LossType, scores: Tensor, batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new ShapeError(`${type}: batchSize = ${batchSize} must be a positive integer`);
  }
  if (scores.length === 0 || scores.length % batchSize !== 0) {
    throw new ShapeError(
      `${type}: scores has length ${scores.length}, ` +
        `which is not batchSize (${batchSize}) x a positive number of outputs`,
    );
  }
  return scores.length / batchSize;
}

/** One target per score (regression and binary losses). */
export function checkDenseTargets(type: LossType, targets: Targets, scores: Tensor, batchSize: number): void {
  if (targets.length !== scores.length) {
    throw new ShapeError(
      `${type}: targets has length ${targets.length}; expected one per score, ${scores.length} ` +
        `(batchSize ${batchSize} x ${scores.length / batchSize} outputs)`,
    );
  }
}

/** Throws unless `targets[i]` is in [0, 1] (NaN is not). */
export function checkUnitTarget(type: LossType, targets: Targets, i: number): void {
  const t = targets[i];
  if (!(t >= 0 && t <= 1)) throw new LossInputError(`${type}: target[${i}] = ${t} is outside [0, 1]`);
}

/** Throws if `scores[i]` is outside [0, 1]; NaN passes (see the file comment). */
export function checkProbabilityInput(type: LossType, scores: Tensor, i: number, hint: string): void {
  const p = scores[i];
  if (p < 0 || p > 1) {
    throw new LossInputError(`${type}: input[${i}] = ${p} is outside [0, 1]; ${type} takes probabilities (${hint})`);
  }
}

export type ClassTargetLayout = 'index' | 'dense';

/**
 * "The length tells which" (types.ts): one target per row means class indices, one per score means
 * probability / one-hot rows. With a single output both lengths agree and the targets are indices.
 * Indices are validated here; dense rows are left to the loss (what a row may hold differs).
 */
export function classTargetLayout(
  type: LossType,
  targets: Targets,
  batchSize: number,
  classes: number,
): ClassTargetLayout {
  if (targets.length === batchSize) {
    for (let i = 0; i < batchSize; i++) {
      const c = targets[i];
      if (!Number.isInteger(c) || c < 0 || c >= classes) {
        throw new LossInputError(`${type}: target[${i}] = ${c} is not a class index in [0, ${classes})`);
      }
    }
    return 'index';
  }
  if (targets.length === batchSize * classes) return 'dense';
  throw new ShapeError(
    `${type}: targets has length ${targets.length}; expected ${batchSize} class indices or ` +
      `${batchSize * classes} probabilities (batchSize ${batchSize} x ${classes} classes)`,
  );
}
