/**
 * Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_ (norm_type 2,
 * https://github.com/pytorch/pytorch/blob/main/torch/nn/utils/clip_grad.py); Pascanu, Mikolov & Bengio
 * 2013, "On the difficulty of training recurrent neural networks".
 *
 *   total = sqrt(sum over all tensors and elements of g^2)
 *   g = g * min(1, maxNorm / (total + 1e-6))
 *
 * The 1e-6 is torch's guard against dividing by a zero norm; it also means a norm just above maxNorm
 * (by less than 1e-6) is left alone. Returns the norm BEFORE clipping, as torch does, so it can be
 * reported as the step's gradient norm. A non-finite norm leaves the gradients untouched (torch would
 * turn them into NaN or zeros): the caller is expected to reject such a batch.
 */
import type { ParamMap } from '../math/tensor.js';
import { positive } from './validate.js';

const NORM_GUARD = 1e-6;

/** L2 norm of all gradients viewed as one vector, accumulated in doubles. */
export function globalGradNorm(grads: ParamMap): number {
  let sumSquares = 0;
  for (const name in grads) {
    const g = grads[name];
    const n = g.length;
    for (let i = 0; i < n; i++) sumSquares += g[i] * g[i];
  }
  return Math.sqrt(sumSquares);
}

/** Scales `grads` in place so that their global L2 norm is at most maxNorm; returns the pre-clip norm. */
export function clipGradNorm(grads: ParamMap, maxNorm: number): number {
  positive('clipGradNorm.maxNorm', maxNorm);
  const total = globalGradNorm(grads);
  if (!Number.isFinite(total)) return total;
  const coefficient = maxNorm / (total + NORM_GUARD);
  if (coefficient >= 1) return total;
  for (const name in grads) {
    const g = grads[name];
    const n = g.length;
    for (let i = 0; i < n; i++) g[i] = g[i] * coefficient;
  }
  return total;
}
