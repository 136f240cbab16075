/**
 * Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay, as torch.optim.SGD
 * (single-tensor path, https://github.com/pytorch/pytorch/blob/main/torch/optim/sgd.py):
 *
 *   g = g + weightDecay * p
 *   buf = g                                          on a parameter's first step (no dampening then)
 *   buf = momentum * buf + (1 - dampening) * g       afterwards
 *   d = g + momentum * buf   (nesterov)   |   d = buf   (momentum)   |   d = g   (momentum = 0)
 *   p = p - lr * d
 *
 * Sutskever et al. 2013, "On the importance of initialization and momentum in deep learning" (Nesterov).
 * torch applies lr to the buffer's output, not inside it: with a constant lr this equals the textbook
 * velocity form v = gamma v - eta g; changing lr mid-run rescales the accumulated velocity at once.
 * Slot: `<param>/momentum_buffer` (only when momentum > 0).
 */
import type { Tensor } from '../math/tensor.js';
import { OptimizerBase } from './optimizer-base.js';
import type { OptimizerConfig } from './types.js';
import { boolean, finiteNumber, invalid, knownKeys, nonNegative } from './validate.js';

export type SgdConfig = Extract<OptimizerConfig, { type: 'sgd' }>;

export class Sgd extends OptimizerBase {
  readonly type = 'sgd' as const;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;

  constructor(config: SgdConfig) {
    knownKeys('sgd', config, ['type', 'lr', 'momentum', 'dampening', 'nesterov', 'weightDecay']);
    if (config.lr === undefined) invalid('sgd.lr', config.lr, 'must be given: a number or a schedule');
    const momentum = nonNegative('sgd.momentum', config.momentum ?? 0);
    super({ lr: config.lr, lrField: 'sgd.lr', slots: momentum > 0 ? [{ name: 'momentum_buffer', initialValue: 0 }] : [] });
    this.momentum = momentum;
    this.dampening = finiteNumber('sgd.dampening', config.dampening ?? 0);
    this.nesterov = boolean('sgd.nesterov', config.nesterov ?? false);
    this.weightDecay = nonNegative('sgd.weightDecay', config.weightDecay ?? 0);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      invalid(
        'sgd.nesterov',
        true,
        `requires momentum > 0 and dampening = 0 (got momentum ${this.momentum}, dampening ${this.dampening})`,
      );
    }
  }

  protected updateTensor(p: Tensor, g: Tensor, slots: Tensor[], fresh: boolean, lr: number): void {
    const wd = this.weightDecay;
    const n = p.length;
    if (this.momentum === 0) {
      for (let i = 0; i < n; i++) p[i] = p[i] - lr * (g[i] + wd * p[i]);
      return;
    }
    const buf = slots[0];
    const momentum = this.momentum;
    const gradScale = 1 - this.dampening;
    const nesterov = this.nesterov;
    for (let i = 0; i < n; i++) {
      const d = g[i] + wd * p[i];
      buf[i] = fresh ? d : momentum * buf[i] + gradScale * d;
      // Read back the stored (possibly float32-rounded) buffer: torch steps with the buffer tensor itself.
      const b = buf[i];
      p[i] = p[i] - lr * (nesterov ? d + momentum * b : b);
    }
  }

  protected fillEffectiveLr(out: Tensor, _slots: Tensor[], lr: number): void {
    out.fill(lr);
  }
}
