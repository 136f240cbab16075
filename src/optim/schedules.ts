/**
 * Learning-rate schedules as pure functions of t, the optimizer step about to be taken (t = 1 for the
 * first step). A learning rate is a number or a ScheduleConfig; `toSchedule` is the ONE place that turns
 * either into a function (River habit), so optimizers never branch on the two forms.
 *
 *   constant      lr
 *   step          lr * gamma^floor((t-1) / stepSize)                      torch StepLR
 *   exponential   lr * gamma^(t-1)                                        torch ExponentialLR
 *   inverse_time  lr / (1 + decay * (t-1))^power                          (power 1: the textbook 1/t decay)
 *   cosine        etaMin + (lr - etaMin)(1 + cos(pi * min(t-1, tMax) / tMax)) / 2
 *
 * "Stepped once per optimizer step": torch's schedulers called `scheduler.step()` after every
 * `optimizer.step()`, so step t runs with the scheduler's last_epoch = t - 1. Torch computes the same
 * values recursively (lr_t from lr_{t-1}); the closed forms here agree to rounding (~1e-16 relative).
 * One deliberate difference: past tMax torch's CosineAnnealingLR climbs back up (its cosine is periodic);
 * this one holds etaMin, which is what a schedule that "anneals to etaMin over tMax steps" should do.
 * https://github.com/pytorch/pytorch/blob/main/torch/optim/lr_scheduler.py
 */
import type { LearningRate, ScheduleConfig } from './types.js';
import { invalid, knownKeys, nonNegative, positive, positiveInteger } from './validate.js';

const SCHEDULE_TYPES = ['constant', 'step', 'exponential', 'inverse_time', 'cosine'] as const;

/** Learning rate for step t (t >= 1). */
export type Schedule = (t: number) => number;

/**
 * Validates a learning rate (number or schedule) and returns its schedule. `field` names it in errors,
 * e.g. `adam.lr`.
 */
export function toSchedule(lr: LearningRate, field = 'lr'): Schedule {
  if (typeof lr === 'number') {
    const value = nonNegative(field, lr);
    return () => value;
  }
  if (typeof lr !== 'object' || lr === null) invalid(field, lr, 'must be a number or a schedule object');
  return fromConfig(lr, field);
}

function fromConfig(config: ScheduleConfig, field: string): Schedule {
  const at = (key: string): string => `${field}.${key}`;
  const lr = nonNegative(at('lr'), config.lr);
  switch (config.type) {
    case 'constant':
      knownKeys(field, config, ['type', 'lr']);
      return () => lr;
    case 'step': {
      knownKeys(field, config, ['type', 'lr', 'stepSize', 'gamma']);
      const stepSize = positiveInteger(at('stepSize'), config.stepSize);
      const gamma = positive(at('gamma'), config.gamma ?? 0.1);
      return (t) => lr * gamma ** Math.floor((t - 1) / stepSize);
    }
    case 'exponential': {
      knownKeys(field, config, ['type', 'lr', 'gamma']);
      const gamma = positive(at('gamma'), config.gamma);
      return (t) => lr * gamma ** (t - 1);
    }
    case 'inverse_time': {
      knownKeys(field, config, ['type', 'lr', 'decay', 'power']);
      const decay = nonNegative(at('decay'), config.decay);
      const power = nonNegative(at('power'), config.power ?? 1);
      return (t) => lr / (1 + decay * (t - 1)) ** power;
    }
    case 'cosine': {
      knownKeys(field, config, ['type', 'lr', 'tMax', 'etaMin']);
      const tMax = positiveInteger(at('tMax'), config.tMax);
      const etaMin = nonNegative(at('etaMin'), config.etaMin ?? 0);
      return (t) => etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * Math.min(t - 1, tMax)) / tMax))) / 2;
    }
    default:
      return invalid(`${field}.type`, (config as { type: unknown }).type, `must be one of ${SCHEDULE_TYPES.join(', ')}`);
  }
}
