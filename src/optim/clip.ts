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
import type { ParamMap, Tensor } from '../math/tensor.js';
import { positive } from './validate.js';

const NORM_GUARD = 1e-6;

/**
 * L2 norm of all gradients viewed as one vector, accumulated in doubles. Each tensor's squares are summed
 * in four interleaved partial sums (elements i mod 4), combined as (s0 + s1) + (s2 + s3): one sequential
 * sum is a chain of dependent additions, four times slower on a large model (5% of a 784 -> 256 -> 10
 * step). torch's own order is different again (a vectorized norm per tensor, then the norm of those), so
 * no order matches it to the bit; in doubles any order is within 1e-15 of another.
 *
 * `grads` may be the tensors as a list, in the map's order (the same bits): a caller stepping the same
 * frozen map every time keeps its list, because a for-in over a map and a lookup by name per tensor
 * cost more than the squares of a logistic regression's 31 gradients.
 */
export function globalGradNorm(grads: ParamMap | readonly Tensor[]): number {
  let sumSquares = 0;
  if (isTensorList(grads)) {
    for (let t = 0; t < grads.length; t++) sumSquares += sumOfSquares(grads[t]);
  } else {
    for (const name in grads) sumSquares += sumOfSquares(grads[name]);
  }
  return Math.sqrt(sumSquares);
}

function isTensorList(grads: ParamMap | readonly Tensor[]): grads is readonly Tensor[] {
  return Array.isArray(grads);
}

function sumOfSquares(g: Tensor): number {
  const n = g.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += g[i] * g[i];
    s1 += g[i + 1] * g[i + 1];
    s2 += g[i + 2] * g[i + 2];
    s3 += g[i + 3] * g[i + 3];
  }
  for (; i < n; i++) s0 += g[i] * g[i];
  return (s0 + s1) + (s2 + s3);
}

/** Scales `grads` (a map, or its tensors as a list) in place so that their global L2 norm is at most maxNorm; returns the pre-clip norm. */
export function clipGradNorm(grads: ParamMap | readonly Tensor[], maxNorm: number): number {
  positive('clipGradNorm.maxNorm', maxNorm);
  const total = globalGradNorm(grads);
  if (!Number.isFinite(total)) return total;
  const coefficient = maxNorm / (total + NORM_GUARD);
  if (coefficient >= 1) return total;
  if (isTensorList(grads)) {
    for (let t = 0; t < grads.length; t++) scale(grads[t], coefficient);
  } else {
    for (const name in grads) scale(grads[name], coefficient);
  }
  return total;
}

function scale(g: Tensor, coefficient: number): void {
  const n = g.length;
  for (let i = 0; i < n; i++) g[i] = g[i] * coefficient;
}
