/**
 * createOptimizer: a config (PyTorch hyper-parameters, camelCased, PyTorch defaults) to an Optimizer.
 *
 *   sgd      {lr (required), momentum=0, dampening=0, nesterov=false, weightDecay=0}
 *   adagrad  {lr=1e-2, lrDecay=0, weightDecay=0, initialAccumulatorValue=0, eps=1e-10}
 *   rmsprop  {lr=1e-2, alpha=0.99, eps=1e-8, weightDecay=0, momentum=0, centered=false}
 *   adam     {lr=1e-3, betas=[0.9, 0.999], eps=1e-8, weightDecay=0 (L2), amsgrad=false}
 *   adamw    {as adam, weightDecay=1e-2 (decoupled)}
 *
 * `lr` may be a number or a schedule (schedules.ts). Invalid values throw ConfigError naming the field.
 */
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Rmsprop } from './rmsprop.js';
import { Sgd } from './sgd.js';
import type { Optimizer, OptimizerConfig, OptimizerType } from './types.js';
import { invalid } from './validate.js';

export const OPTIMIZER_TYPES: readonly OptimizerType[] = ['sgd', 'adagrad', 'rmsprop', 'adam', 'adamw'];

export function createOptimizer(config: OptimizerConfig): Optimizer {
  if (typeof config !== 'object' || config === null) invalid('optimizer', config, 'must be an object with a type');
  switch (config.type) {
    case 'sgd':
      return new Sgd(config);
    case 'adagrad':
      return new Adagrad(config);
    case 'rmsprop':
      return new Rmsprop(config);
    case 'adam':
    case 'adamw':
      return new Adam(config);
    default:
      return invalid('optimizer.type', (config as { type: unknown }).type, `must be one of ${OPTIMIZER_TYPES.join(', ')}`);
  }
}
