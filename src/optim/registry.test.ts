import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { createOptimizer } from './registry.js';
import { Rmsprop } from './rmsprop.js';
import { Sgd } from './sgd.js';
import type { OptimizerConfig } from './types.js';

describe('createOptimizer', () => {
  it('fills in PyTorch defaults', () => {
    const sgd = createOptimizer({ type: 'sgd', lr: 0.1 });
    expect(sgd).toBeInstanceOf(Sgd);
    expect(sgd).toMatchObject({ type: 'sgd', momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 });
    expect(sgd.currentLr()).toBe(0.1);

    const adagrad = createOptimizer({ type: 'adagrad' });
    expect(adagrad).toBeInstanceOf(Adagrad);
    expect(adagrad).toMatchObject({ lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
    expect(adagrad.currentLr()).toBe(1e-2);

    const rmsprop = createOptimizer({ type: 'rmsprop' });
    expect(rmsprop).toBeInstanceOf(Rmsprop);
    expect(rmsprop).toMatchObject({ alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false });
    expect(rmsprop.currentLr()).toBe(1e-2);

    const adam = createOptimizer({ type: 'adam' });
    expect(adam).toBeInstanceOf(Adam);
    expect(adam).toMatchObject({ type: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(adam.currentLr()).toBe(1e-3);
  });

  it("builds AdamW from the Adam code but reports type 'adamw' and decays by 1e-2 by default", () => {
    const adamw = createOptimizer({ type: 'adamw' });
    expect(adamw).toMatchObject({ type: 'adamw', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2 });
    expect(adamw.getState().type).toBe('adamw');
  });

  it.each<[unknown, string]>([
    [{ type: 'sgd', lr: -0.1 }, 'sgd.lr = -0.1 is invalid: must be >= 0'],
    [{ type: 'sgd' }, 'sgd.lr = undefined is invalid: must be given: a number or a schedule'],
    [{ type: 'sgd', lr: 0.1, momentum: -0.9 }, 'sgd.momentum = -0.9 is invalid: must be >= 0'],
    [
      { type: 'sgd', lr: 0.1, nesterov: true },
      'sgd.nesterov = true is invalid: requires momentum > 0 and dampening = 0 (got momentum 0, dampening 0)',
    ],
    [
      { type: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true },
      'sgd.nesterov = true is invalid: requires momentum > 0 and dampening = 0 (got momentum 0.9, dampening 0.1)',
    ],
    [{ type: 'sgd', lr: 0.1, weight_decay: 0.1 }, 'sgd.weight_decay is not an option of sgd (options: type, lr, momentum, dampening, nesterov, weightDecay)'],
    [{ type: 'adagrad', lrDecay: -1 }, 'adagrad.lrDecay = -1 is invalid: must be >= 0'],
    [{ type: 'adagrad', initialAccumulatorValue: -1 }, 'adagrad.initialAccumulatorValue = -1 is invalid: must be >= 0'],
    [{ type: 'adagrad', eps: -1e-10 }, 'adagrad.eps = -1e-10 is invalid: must be >= 0'],
    [{ type: 'rmsprop', alpha: 1.5 }, 'rmsprop.alpha = 1.5 is invalid: must be in [0, 1]'],
    [{ type: 'rmsprop', centered: 'yes' }, 'rmsprop.centered = "yes" is invalid: must be true or false'],
    [{ type: 'adam', betas: [1, 0.999] }, 'adam.betas[0] = 1 is invalid: must be in [0, 1)'],
    [{ type: 'adam', betas: [0.9, -0.1] }, 'adam.betas[1] = -0.1 is invalid: must be in [0, 1)'],
    [{ type: 'adam', betas: [0.9] }, 'adam.betas = [0.9] is invalid: must be a pair [beta1, beta2]'],
    [{ type: 'adamw', eps: Infinity }, 'adamw.eps = Infinity is invalid: must be a finite number'],
    [{ type: 'adamw', weightDecay: -0.01 }, 'adamw.weightDecay = -0.01 is invalid: must be >= 0'],
    [{ type: 'adam', lr: { type: 'cosine', lr: 0.1, tMax: 0 } }, 'adam.lr.tMax = 0 is invalid: must be a positive integer'],
    [{ type: 'lbfgs' }, 'optimizer.type = "lbfgs" is invalid: must be one of sgd, adagrad, rmsprop, adam, adamw'],
  ])('rejects %j naming the field, the value and the rule', (config, message) => {
    expect(() => createOptimizer(config as OptimizerConfig)).toThrow(new ConfigError(message));
  });

  it('validates a learning rate set later the same way', () => {
    const opt = createOptimizer({ type: 'adam' });
    expect(() => opt.setLearningRate(-1)).toThrow(new ConfigError('adam.lr = -1 is invalid: must be >= 0'));
    opt.setLearningRate({ type: 'exponential', lr: 0.5, gamma: 0.5 });
    expect(opt.currentLr()).toBe(0.5);
  });
});
