/**
 * The model and loss sections. Inputs and outputs are not configured: they follow from the record schema
 * (feature count; regression outputs, 1 for binary, the class count for multiclass), and the model's head
 * follows from the loss. The output is assignable to training's ModelSpec and to losses' LossConfig.
 */
import { z } from 'zod';
import type { LossType } from '../../losses/types.js';
import type { DType } from '../../math/tensor.js';
import type { Activation, Initializer, ModelType } from '../../model/types.js';
import { finite, nonNegative, positive, positiveInt, unitClosed, unitHalfOpen } from '../rules.js';

export const MODEL_TYPE_NAMES = ['linear', 'logistic', 'softmax', 'mlp'] as const satisfies readonly ModelType[];
export const ACTIVATION_NAMES = ['identity', 'relu', 'tanh', 'sigmoid'] as const satisfies readonly Activation[];
export const INITIALIZER_NAMES = ['xavier_uniform', 'he_uniform', 'he_normal', 'zeros', 'torch_default'] as const satisfies readonly Initializer[];
export const DTYPE_NAMES = ['float32', 'float64'] as const satisfies readonly DType[];

const dropoutProbability = unitHalfOpen();

export const modelSchema = z
  .object({
    type: z
      .enum(MODEL_TYPE_NAMES)
      .default('linear')
      .describe('`linear` (with a logits loss it is logistic / softmax regression), `logistic`, `softmax` or `mlp`.'),
    hidden: z
      .array(positiveInt())
      .min(1)
      .optional()
      .describe('mlp only: hidden layer widths, e.g. [100] (the default for mlp).'),
    activation: z.enum(ACTIVATION_NAMES).default('relu').describe('mlp only: activation after each hidden layer.'),
    dropout: z
      .union([dropoutProbability, z.array(dropoutProbability)])
      .default(0)
      .describe('mlp only: inverted-dropout probability after each hidden activation, one for all or one per layer.'),
    init: z.enum(INITIALIZER_NAMES).default('xavier_uniform').describe('Weight initializer (biases start at 0, except torch_default).'),
    dtype: z.enum(DTYPE_NAMES).default('float32').describe('Parameter and feature dtype.'),
  })
  .strict()
  .default({})
  .describe('The model.');

export type ModelSectionConfig = z.output<typeof modelSchema>;

const reduction = z.enum(['mean', 'sum', 'none']).default('mean').describe('How per-sample losses are combined.');
const lossType = <T extends LossType>(type: T): z.ZodLiteral<T> => z.literal(type);

export const lossSchema = z
  .discriminatedUnion('type', [
    z.object({ type: lossType('mse').describe('Loss function; omitted: mse, bce_with_logits or softmax_cross_entropy by task.'), reduction }).strict(),
    z.object({ type: lossType('bce'), reduction }).strict(),
    z
      .object({
        type: lossType('bce_with_logits'),
        reduction,
        posWeight: positive().optional().describe('Weight of positive examples (torch pos_weight); omitted: 1.'),
      })
      .strict(),
    z.object({ type: lossType('cross_entropy'), reduction }).strict(),
    z
      .object({
        type: lossType('softmax_cross_entropy'),
        reduction,
        classWeights: z.array(nonNegative()).min(1).optional().describe('One weight per class (torch weight).'),
        labelSmoothing: unitClosed().default(0).describe('Label smoothing epsilon in [0, 1].'),
      })
      .strict(),
    z
      .object({
        type: lossType('focal'),
        reduction,
        gamma: nonNegative().default(2).describe('Focusing exponent gamma.'),
        alpha: finite()
          .refine((a) => a === -1 || (a >= 0 && a <= 1), 'must be in [0, 1], or -1 for no class weighting')
          .default(0.25)
          .describe('Weight of the positive class in [0, 1], or -1 for none.'),
      })
      .strict(),
    z
      .object({
        type: lossType('multiclass_hinge'),
        reduction,
        margin: nonNegative().default(1).describe('Margin m.'),
      })
      .strict(),
  ])
  .optional()
  .describe('The loss; omitted: chosen by task.');

export type LossSectionConfig = NonNullable<z.output<typeof lossSchema>>;
