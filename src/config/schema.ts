/**
 * The one configuration schema. Sections validate their own fields; the rules that span sections
 * (the loss must fit the task, Nesterov needs momentum, ...) are checked here, after the sections parse.
 */
import { z } from 'zod';
import { lossTask } from '../losses/registry.js';
import { COMPLETE_MESSAGE } from './issues.js';
import { classCount } from '../pipeline/record-schema.js';
import type { Task } from '../pipeline/record-schema.js';
import { lossSchema, modelSchema } from './sections/model.js';
import type { LossSectionConfig, ModelSectionConfig } from './sections/model.js';
import { optimizerSchema, regularizationSchema, scheduleSchema } from './sections/optimizer.js';
import { recordSchemaSchema } from './sections/record-schema.js';
import { checkpointSchema, deadLetterSchema, metricsSchema, serverSchema, trainingSchema } from './sections/runtime.js';
import { sourceSchema } from './sections/source.js';

const sections = z
  .object({
    source: sourceSchema,
    schema: recordSchemaSchema,
    model: modelSchema,
    loss: lossSchema,
    optimizer: optimizerSchema,
    schedule: scheduleSchema,
    regularization: regularizationSchema,
    training: trainingSchema,
    server: serverSchema,
    metrics: metricsSchema,
    deadLetter: deadLetterSchema,
    checkpoint: checkpointSchema,
  })
  .strict();

export const configSchema = sections.superRefine((config, ctx) => {
  const problem = (path: Array<string | number>, message: string): void => {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path, message, params: COMPLETE_MESSAGE });
  };
  const { optimizer, schedule, model, loss, deadLetter, source } = config;

  if (optimizer.type === 'sgd' && optimizer.nesterov && (optimizer.momentum <= 0 || optimizer.dampening !== 0)) {
    problem(['optimizer', 'nesterov'], 'true is invalid: Nesterov momentum needs momentum > 0 and dampening 0 (as torch.optim.SGD)');
  }
  if (schedule.type === 'cosine' && schedule.etaMin > optimizer.lr) {
    problem(['schedule', 'etaMin'], `${schedule.etaMin} is invalid: must be <= optimizer.lr (${optimizer.lr}), the rate it anneals from`);
  }
  for (const [path, message] of modelProblems(model)) problem(['model', ...path], message);
  if (config.schema !== undefined && loss !== undefined) {
    for (const [path, message] of taskProblems(config.schema.task, classCount(config.schema), model, loss)) problem(path, message);
  }
  if (deadLetter.path !== undefined && deadLetter.topic !== undefined) {
    problem(['deadLetter'], 'sets both path and topic: choose one');
  }
  if (deadLetter.topic !== undefined && source.type !== 'kafka') {
    problem(['deadLetter', 'topic'], `'${deadLetter.topic}' is invalid: a dead-letter topic needs a kafka source (use deadLetter.path)`);
  }
});

export type AppConfig = z.output<typeof configSchema>;
/** What a YAML file may contain: every section and most fields are optional. */
export type AppConfigInput = z.input<typeof configSchema>;

type Problem = [Array<string | number>, string];

function modelProblems(model: ModelSectionConfig): Problem[] {
  const problems: Problem[] = [];
  if (model.type !== 'mlp') {
    if (model.hidden !== undefined) problems.push([['hidden'], `is set but model.type is '${model.type}': only mlp has hidden layers`]);
    const dropout = typeof model.dropout === 'number' ? [model.dropout] : model.dropout;
    if (dropout.some((p) => p > 0)) problems.push([['dropout'], `is set but model.type is '${model.type}': only mlp has dropout`]);
  } else if (Array.isArray(model.dropout)) {
    const layers = model.hidden?.length ?? 1;
    if (model.dropout.length !== layers) {
      problems.push([['dropout'], `has ${model.dropout.length} values for ${layers} hidden layer(s): give one per layer, or one number`]);
    }
  }
  return problems;
}

/** The loss must fit the task (a multiclass loss also fits binary data, as 2 classes), and the model the loss. */
export function taskProblems(task: Task, classes: number | null, model: ModelSectionConfig, loss: LossSectionConfig): Problem[] {
  const problems: Problem[] = [];
  const kind = lossTask(loss.type);
  if (kind !== task && !(kind === 'multiclass' && task === 'binary')) {
    problems.push([['loss', 'type'], `'${loss.type}' is invalid: a ${kind} loss cannot train a ${task} task (${LOSSES_BY_TASK[task]})`]);
    return problems;
  }
  if (loss.type === 'softmax_cross_entropy' && loss.classWeights !== undefined && classes !== null && loss.classWeights.length !== classes) {
    problems.push([['loss', 'classWeights'], `has ${loss.classWeights.length} weights for ${classes} classes: give one per class`]);
  }
  const probabilities = loss.type === 'bce' || loss.type === 'cross_entropy';
  if (model.type === 'linear' && probabilities) {
    problems.push([['model', 'type'], `'linear' emits raw scores but loss '${loss.type}' needs probabilities: use 'logistic' / 'softmax', or a logits loss`]);
  }
  if (model.type === 'logistic' && kind !== 'binary') {
    problems.push([['model', 'type'], `'logistic' has one output but loss '${loss.type}' needs one per class: use 'softmax'`]);
  }
  if (model.type === 'softmax' && kind !== 'multiclass') {
    problems.push([['model', 'type'], `'softmax' needs a multiclass loss, not '${loss.type}': use 'logistic' or 'linear'`]);
  }
  return problems;
}

const LOSSES_BY_TASK: Readonly<Record<Task, string>> = {
  regression: 'use mse',
  binary: 'use bce_with_logits, bce, focal, or a multiclass loss',
  multiclass: 'use softmax_cross_entropy, cross_entropy or multiclass_hinge',
};
