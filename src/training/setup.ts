/**
 * From a declarative learner spec to a ready Trainer. This is where the loss decides the shape of the
 * model's head, so a user never has to match them by hand:
 *
 *   loss input      model head                    targets
 *   values          identity, `outputs` wide       dense rows
 *   logits/scores   identity                       binary: dense 0/1; multiclass: class indices
 *   probabilities   sigmoid (1 output) / softmax   the same
 *
 * Randomness: one seed, split into independent streams for initialization and dropout so that changing
 * one (e.g. adding dropout) does not change the initial weights.
 */
import { ConfigError } from '../errors.js';
import { lossInputKind, lossTask } from '../losses/registry.js';
import type { LossConfig } from '../losses/types.js';
import { Rng } from '../math/rng.js';
import type { DType } from '../math/tensor.js';
import { createModel } from '../model/registry.js';
import type { Activation, Initializer, Model, ModelConfig, OutputActivation } from '../model/types.js';
import { createOptimizer } from '../optim/registry.js';
import type { Optimizer, OptimizerConfig } from '../optim/types.js';
import { MinibatchAssembler } from './minibatch.js';
import type { TargetLayout } from './minibatch.js';
import type { OutputKind, Task } from './quality.js';
import { Trainer } from './trainer.js';
import type { RegularizationConfig } from './trainer.js';

export interface ModelSpec {
  readonly type: 'linear' | 'logistic' | 'softmax' | 'mlp';
  readonly hidden?: readonly number[];
  readonly activation?: Activation;
  readonly dropout?: number | readonly number[];
  readonly init?: Initializer;
  readonly dtype?: DType;
}

export interface LearnerSpec {
  /** What the data is; the loss must fit it (a multiclass loss also fits binary data as 2 classes). */
  readonly task: Task;
  readonly inputs: number;
  /** Number of classes (multiclass, or binary used with a multiclass loss). */
  readonly classes?: number;
  /** Regression outputs (default 1). */
  readonly outputs?: number;
  readonly model: ModelSpec;
  readonly loss: LossConfig;
  readonly optimizer: OptimizerConfig;
  readonly regularization?: RegularizationConfig;
  readonly seed?: number;
  readonly qualityWindow?: number;
  readonly lossHalfLifeSteps?: number;
  /** Measure the update ratio on one applied step in this many (TrainerOptions.updateRatioEverySteps). */
  readonly updateRatioEverySteps?: number;
}

export interface TrainingSetup {
  readonly trainer: Trainer;
  readonly model: Model;
  readonly optimizer: Optimizer;
  readonly assembler: MinibatchAssembler;
  /** Draws dropout masks: its state belongs in a checkpoint. */
  readonly dropoutRng: Rng;
  readonly outputKind: OutputKind;
}

/** Seeds of the independent random streams derived from the learner's one seed. */
export const RNG_STREAMS = { init: 0x1a17, dropout: 0xd20f, shuffle: 0x5f1e } as const;

export function deriveSeed(seed: number, stream: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ stream) >>> 0;
}

export function createTrainingSetup(spec: LearnerSpec): TrainingSetup {
  const seed = spec.seed ?? 0;
  const outputKind = lossInputKind(spec.loss.type) as OutputKind;
  const { outputs, layout } = headOf(spec);
  const output = headActivation(outputKind, outputs);
  const model = createModel(modelConfigOf(spec, outputs, output), { rng: new Rng(deriveSeed(seed, RNG_STREAMS.init)) });
  const optimizer = createOptimizer(spec.optimizer);
  const dropoutRng = new Rng(deriveSeed(seed, RNG_STREAMS.dropout));
  const dropout = spec.model.dropout;
  const hasDropout = typeof dropout === 'number' ? dropout > 0 : (dropout ?? []).some((p) => p > 0);
  const trainer = new Trainer({
    model,
    lossConfig: spec.loss,
    optimizer,
    task: spec.task === 'binary' && outputs > 1 ? 'multiclass' : spec.task,
    outputKind,
    rng: dropoutRng,
    regularization: spec.regularization,
    inferenceForQuality: hasDropout,
    qualityWindow: spec.qualityWindow,
    lossHalfLifeSteps: spec.lossHalfLifeSteps,
    updateRatioEverySteps: spec.updateRatioEverySteps,
  });
  const assembler = new MinibatchAssembler(spec.inputs, outputs, model.dtype, layout);
  return { trainer, model, optimizer, assembler, dropoutRng, outputKind };
}

function headOf(spec: LearnerSpec): { outputs: number; layout: TargetLayout } {
  const lossKind = lossTask(spec.loss.type);
  const fits =
    lossKind === spec.task || (lossKind === 'multiclass' && spec.task === 'binary');
  if (!fits) {
    throw new ConfigError(
      `loss.type: '${spec.loss.type}' is a ${lossKind} loss but the stream's task is ${spec.task}; ` +
        `pick a ${spec.task} loss (${suggestion(spec.task)})`,
    );
  }
  if (lossKind === 'regression') return { outputs: spec.outputs ?? 1, layout: 'dense' };
  if (lossKind === 'binary') return { outputs: 1, layout: 'dense' };
  const classes = spec.classes ?? (spec.task === 'binary' ? 2 : undefined);
  if (classes === undefined || !Number.isInteger(classes) || classes < 2) {
    throw new ConfigError(`classes: ${String(classes)} is invalid: a multiclass loss needs an integer number of classes >= 2`);
  }
  return { outputs: classes, layout: 'class_index' };
}

function headActivation(kind: OutputKind, outputs: number): OutputActivation {
  if (kind !== 'probabilities') return 'identity';
  return outputs === 1 ? 'sigmoid' : 'softmax';
}

function modelConfigOf(spec: LearnerSpec, outputs: number, output: OutputActivation): ModelConfig {
  const { type, init, dtype } = spec.model;
  const common = { inputs: spec.inputs, init, dtype };
  switch (type) {
    case 'linear':
      if (output !== 'identity') {
        throw new ConfigError(`model.type: 'linear' emits raw values but loss '${spec.loss.type}' needs probabilities; use 'logistic' or 'softmax'`);
      }
      return { type, ...common, outputs };
    case 'logistic':
      if (outputs !== 1) throw new ConfigError(`model.type: 'logistic' has one output but loss '${spec.loss.type}' needs ${outputs}; use 'softmax'`);
      return { type, ...common, output };
    case 'softmax':
      if (spec.task === 'regression') throw new ConfigError(`model.type: 'softmax' is a classifier; use 'linear' or 'mlp' for regression`);
      if (outputs === 1) throw new ConfigError(`model.type: 'softmax' needs a multiclass loss; loss '${spec.loss.type}' has one output: use 'logistic'`);
      return { type, ...common, classes: outputs, output };
    case 'mlp':
      return {
        type,
        ...common,
        hidden: spec.model.hidden ?? [100],
        activation: spec.model.activation,
        dropout: spec.model.dropout,
        outputs,
        output,
      };
  }
}

function suggestion(task: Task): string {
  switch (task) {
    case 'regression':
      return 'mse';
    case 'binary':
      return 'bce_with_logits, bce, focal, or a multiclass loss with 2 classes';
    case 'multiclass':
      return 'softmax_cross_entropy, cross_entropy, multiclass_hinge';
  }
}
