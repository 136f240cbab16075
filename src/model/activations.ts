/**
 * Element-wise hidden-layer activations, applied in place, with derivatives written in terms of the
 * output y = f(z) so the pre-activation never has to be kept:
 *
 *   identity  y = z                    f' = 1
 *   relu      y = max(z, 0)            f' = [y > 0]   (0 at z = 0 like torch's threshold_backward; NaN passes
 *                                                     through, so a non-finite batch stays detectable)
 *   tanh      y = tanh(z)              f' = 1 - y²
 *   sigmoid   y = 1 / (1 + e^-z)       f' = y (1 - y)
 *
 * Only the leading `n` elements are touched.
 */
import type { Tensor } from '../math/tensor.js';
import type { Activation } from './types.js';

/** z ← f(z). */
export function activationForward(kind: Activation, z: Tensor, n: number): void {
  switch (kind) {
    case 'identity':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) if (z[i] < 0) z[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) z[i] = Math.tanh(z[i]);
      return;
    case 'sigmoid':
      sigmoidInPlace(z, n);
      return;
  }
}

/** g ← g ⊙ f'(z), given y = f(z). */
export function activationBackward(kind: Activation, y: Tensor, g: Tensor, n: number): void {
  switch (kind) {
    case 'identity':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) if (y[i] <= 0) g[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) g[i] *= 1 - y[i] * y[i];
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) g[i] *= y[i] * (1 - y[i]);
      return;
  }
}

/**
 * The logistic function without overflow: for z < 0, exp(-z) would overflow for very negative z,
 * so use e^z / (1 + e^z) there.
 */
export function sigmoidInPlace(z: Tensor, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = z[i];
    if (v >= 0) {
      z[i] = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v);
      z[i] = e / (1 + e);
    }
  }
}
