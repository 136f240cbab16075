/**
 * Inverted dropout (Srivastava et al. 2014, https://jmlr.org/papers/v15/srivastava14a.html; torch.nn.Dropout):
 * in training, mask_i ~ Bernoulli(1 - p) and y = x ⊙ mask / (1 - p), so E[y] = x and inference is the
 * identity with no rescaling. Backward: dx = dy ⊙ mask / (1 - p).
 *
 * The mask is stored already scaled (0 or 1/(1-p)) so forward and backward are one multiply each.
 * One Rng.uniform() per element in row-major order (order matters for reproducible runs); callers skip
 * dropout entirely when p = 0 so that no draw is made.
 */
import type { Rng } from '../math/rng.js';
import type { Tensor } from '../math/tensor.js';

/** y = x ⊙ mask, drawing a fresh scaled mask for the leading n elements. */
export function dropoutForward(p: number, x: Tensor, y: Tensor, mask: Tensor, n: number, rng: Rng): void {
  const keep = 1 - p;
  const scale = 1 / keep;
  for (let i = 0; i < n; i++) {
    const m = rng.uniform() < keep ? scale : 0;
    mask[i] = m;
    y[i] = x[i] * m;
  }
}

/** g ← g ⊙ mask (the mask of the last forward). */
export function dropoutBackward(g: Tensor, mask: Tensor, n: number): void {
  for (let i = 0; i < n; i++) g[i] *= mask[i];
}
