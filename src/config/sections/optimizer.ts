/**
 * Optimizer, learning-rate schedule and regularization. Hyper-parameters and defaults are PyTorch's,
 * camelCased (torch.optim); `optimizer.lr` is the base rate the schedule starts from.
 */
import { z } from 'zod';
import { nonNegative, positive, positiveInt, unitClosed, unitHalfOpen } from '../rules.js';

const lr = (defaultLr: number): z.ZodDefault<z.ZodNumber> =>
  nonNegative().default(defaultLr).describe('Base learning rate (the schedule starts from it).');
const weightDecay = (defaultWd: number): z.ZodDefault<z.ZodNumber> =>
  nonNegative().default(defaultWd).describe('L2 weight decay added to the gradient (adamw: decoupled, applied to the weights).');
const eps = (defaultEps: number): z.ZodDefault<z.ZodNumber> => nonNegative().default(defaultEps).describe('Denominator guard.');
const adamFields = {
  betas: z
    .tuple([unitHalfOpen(), unitHalfOpen()])
    .default([0.9, 0.999])
    .describe('Decay rates of the first and second moment estimates.'),
  eps: eps(1e-8),
  amsgrad: z.boolean().default(false).describe('Use the maximum of past second moments (AMSGrad).'),
};

export const optimizerSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('sgd').describe('Optimizer: `sgd`, `adagrad`, `rmsprop`, `adam` or `adamw`.'),
        lr: nonNegative().describe('Base learning rate (the schedule starts from it). Required for sgd, as in torch.'),
        momentum: nonNegative().default(0).describe('Momentum factor.'),
        dampening: nonNegative().default(0).describe('Dampening of the momentum.'),
        nesterov: z.boolean().default(false).describe('Nesterov momentum (needs momentum > 0 and dampening 0).'),
        weightDecay: weightDecay(0),
      })
      .strict(),
    z
      .object({
        type: z.literal('adagrad'),
        lr: lr(1e-2),
        lrDecay: nonNegative().default(0).describe('Learning-rate decay, lr / (1 + (t - 1) * lrDecay).'),
        weightDecay: weightDecay(0),
        initialAccumulatorValue: nonNegative().default(0).describe('Initial value of the sum of squared gradients.'),
        eps: eps(1e-10),
      })
      .strict(),
    z
      .object({
        type: z.literal('rmsprop'),
        lr: lr(1e-2),
        alpha: unitClosed().default(0.99).describe('Smoothing constant of the squared-gradient average.'),
        eps: eps(1e-8),
        weightDecay: weightDecay(0),
        momentum: nonNegative().default(0),
        centered: z.boolean().default(false).describe('Normalize by the estimated variance of the gradient.'),
      })
      .strict(),
    z.object({ type: z.literal('adam'), lr: lr(1e-3), ...adamFields, weightDecay: weightDecay(0) }).strict(),
    z.object({ type: z.literal('adamw'), lr: lr(1e-3), ...adamFields, weightDecay: weightDecay(1e-2) }).strict(),
  ])
  .default({ type: 'adam' })
  .describe('The optimizer.');

export type OptimizerSectionConfig = z.output<typeof optimizerSchema>;

export const scheduleSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z
          .literal('constant')
          .describe('Learning-rate schedule over optimizer steps t = 1, 2, ...: `constant`, `step`, `exponential`, `inverse_time`, `cosine`.'),
      })
      .strict(),
    z
      .object({
        type: z.literal('step'),
        stepSize: positiveInt().describe('Multiply the rate by gamma every stepSize steps.'),
        gamma: positive().default(0.1).describe('Decay factor (step: per stepSize steps; exponential: per step).'),
      })
      .strict(),
    z.object({ type: z.literal('exponential'), gamma: positive() }).strict(),
    z
      .object({
        type: z.literal('inverse_time'),
        decay: nonNegative().describe('Decay rate: lr / (1 + decay * (t - 1))^power.'),
        power: nonNegative().default(1).describe('Exponent (1: the textbook 1/t decay).'),
      })
      .strict(),
    z
      .object({
        type: z.literal('cosine'),
        tMax: positiveInt().describe('Steps to anneal from lr to etaMin (then held).'),
        etaMin: nonNegative().default(0).describe('Final learning rate.'),
      })
      .strict(),
  ])
  .default({ type: 'constant' })
  .describe('The learning-rate schedule.');

export type ScheduleSectionConfig = z.output<typeof scheduleSchema>;

export const regularizationSchema = z
  .object({
    l1: nonNegative().default(0).describe('L1 strength lambda: adds lambda * sum |p| to the loss.'),
    l1Mode: z
      .enum(['subgradient', 'proximal'])
      .default('proximal')
      .describe('`proximal` soft-thresholds after each step (exact zeros); `subgradient` adds lambda * sign(p) to the gradient.'),
    l2: nonNegative().default(0).describe('L2 strength lambda: adds lambda * ||p||^2 to the loss (optimizer weightDecay = 2 * lambda).'),
    excludeBiases: z.boolean().default(false).describe('Leave `*.bias` tensors unpenalized.'),
    clipGradNorm: nonNegative().default(0).describe('Clip gradients to this global L2 norm (torch clip_grad_norm_); 0: off.'),
  })
  .strict()
  .default({})
  .describe('Penalties and gradient clipping.');

export type RegularizationSectionConfig = z.output<typeof regularizationSchema>;
