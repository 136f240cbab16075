/**
 * Weight initializers for a dense layer with weight (fanOut, fanIn) and bias (fanOut), as in torch.nn.init
 * (https://github.com/pytorch/pytorch/blob/main/torch/nn/init.py):
 *
 *   xavier_uniform  W ~ U(-a, a), a = gain·sqrt(6 / (fanIn + fanOut)), gain = 1; b = 0   (Glorot & Bengio 2010,
 *                   https://proceedings.mlr.press/v9/glorot10a.html; the chapter's classifier)
 *   he_uniform      W ~ U(-a, a), a = sqrt(2)·sqrt(3 / fanIn) = sqrt(6 / fanIn); b = 0  (kaiming_uniform_,
 *                   nonlinearity 'relu'; He et al. 2015, https://arxiv.org/abs/1502.01852)
 *   he_normal       W ~ N(0, 2 / fanIn); b = 0                                           (kaiming_normal_, 'relu')
 *   zeros           W = 0; b = 0
 *   torch_default   W ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn)), b ~ the same                   (nn.Linear.reset_parameters:
 *                   kaiming_uniform_(a = sqrt(5)) gives gain sqrt(2/6), bound gain·sqrt(3/fanIn) = 1/sqrt(fanIn))
 *
 * Draw order (part of reproducibility, order matters): every weight element in row-major order, then the
 * bias elements, all from the one injected Rng.
 */
import type { Rng } from '../math/rng.js';
import type { Tensor } from '../math/tensor.js';
import type { Initializer } from './types.js';

export function initializeDense(
  init: Initializer,
  weight: Tensor,
  bias: Tensor,
  fanIn: number,
  fanOut: number,
  rng: Rng,
): void {
  switch (init) {
    case 'xavier_uniform':
      fillUniform(weight, Math.sqrt(6 / (fanIn + fanOut)), rng);
      bias.fill(0);
      return;
    case 'he_uniform':
      fillUniform(weight, Math.sqrt(6 / fanIn), rng);
      bias.fill(0);
      return;
    case 'he_normal': {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < weight.length; i++) weight[i] = rng.normal(0, std);
      bias.fill(0);
      return;
    }
    case 'zeros':
      weight.fill(0);
      bias.fill(0);
      return;
    case 'torch_default': {
      const bound = 1 / Math.sqrt(fanIn);
      fillUniform(weight, bound, rng);
      fillUniform(bias, bound, rng);
      return;
    }
  }
}

function fillUniform(tensor: Tensor, bound: number, rng: Rng): void {
  for (let i = 0; i < tensor.length; i++) tensor[i] = rng.uniformRange(-bound, bound);
}
