/**
 * The loss factory and what each loss asks of the model and the task:
 *
 *   type                    model's last layer emits          task
 *   mse                     values (identity)                 regression
 *   bce                     probabilities (sigmoid)           binary
 *   bce_with_logits         logits                            binary
 *   focal                   logits                            binary
 *   cross_entropy           probabilities (softmax rows)      multiclass
 *   softmax_cross_entropy   logits                            multiclass
 *   multiclass_hinge        scores (identity)                 multiclass
 *
 * Unknown option names are rejected (a typo such as `labelSmothing` would otherwise be ignored).
 */
import { ConfigError } from '../errors.js';
import { BceLoss } from './bce.js';
import { BceWithLogitsLoss } from './bce-with-logits.js';
import { CrossEntropyLoss } from './cross-entropy.js';
import { FocalLoss } from './focal.js';
import { MseLoss } from './mse.js';
import { MulticlassHingeLoss } from './multiclass-hinge.js';
import { SoftmaxCrossEntropyLoss } from './softmax-cross-entropy.js';
import type { Loss, LossConfig, LossInput, LossTask, LossType } from './types.js';
import { invalidOption } from './validation.js';

interface LossSpec {
  readonly input: LossInput;
  readonly task: LossTask;
  readonly options: readonly string[];
}

const SPECS: Readonly<Record<LossType, LossSpec>> = {
  mse: { input: 'values', task: 'regression', options: ['reduction'] },
  bce: { input: 'probabilities', task: 'binary', options: ['reduction'] },
  bce_with_logits: { input: 'logits', task: 'binary', options: ['reduction', 'posWeight'] },
  focal: { input: 'logits', task: 'binary', options: ['reduction', 'gamma', 'alpha'] },
  cross_entropy: { input: 'probabilities', task: 'multiclass', options: ['reduction'] },
  softmax_cross_entropy: {
    input: 'logits',
    task: 'multiclass',
    options: ['reduction', 'classWeights', 'labelSmoothing'],
  },
  multiclass_hinge: { input: 'scores', task: 'multiclass', options: ['reduction', 'margin'] },
};

export const LOSS_TYPES = Object.keys(SPECS) as readonly LossType[];

export function createLoss(config: LossConfig): Loss {
  const spec = specOf(config?.type);
  for (const key of Object.keys(config)) {
    if (key !== 'type' && !spec.options.includes(key)) {
      const value = (config as unknown as Record<string, unknown>)[key];
      invalidOption(`${config.type}.${key}`, value, `unknown option; the options are ${spec.options.join(', ')}`);
    }
  }
  switch (config.type) {
    case 'mse':
      return new MseLoss(config);
    case 'bce':
      return new BceLoss(config);
    case 'bce_with_logits':
      return new BceWithLogitsLoss(config);
    case 'focal':
      return new FocalLoss(config);
    case 'cross_entropy':
      return new CrossEntropyLoss(config);
    case 'softmax_cross_entropy':
      return new SoftmaxCrossEntropyLoss(config);
    case 'multiclass_hinge':
      return new MulticlassHingeLoss(config);
  }
}

/** What the model's last layer must emit for this loss. */
export function lossInputKind(type: LossType): LossInput {
  return specOf(type).input;
}

export function lossTask(type: LossType): LossTask {
  return specOf(type).task;
}

function specOf(type: unknown): LossSpec {
  if (typeof type !== 'string' || !Object.hasOwn(SPECS, type)) {
    const shown = JSON.stringify(type) ?? String(type);
    throw new ConfigError(`loss.type = ${shown} is invalid: must be one of ${LOSS_TYPES.join(', ')}`);
  }
  return SPECS[type as LossType];
}
