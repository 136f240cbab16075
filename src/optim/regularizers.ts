/**
 * L1 and L2 regularization as functions over named tensors (no state). Convention, as in the chapter and
 * torch's docs: the penalty is ADDED to the loss, with lambda >= 0,
 *
 *   L2:  lambda * ||p||^2          gradient 2 * lambda * p
 *   L1:  lambda * sum |p|          subgradient lambda * sign(p)   (sign(0) = 0, as torch.sign)
 *
 * An optimizer's `weightDecay: wd` adds wd * p to the gradient, i.e. it is this L2 with lambda = wd / 2
 * (AdamW's decoupled decay is not a penalty on the loss at all). The L2 penalty is a Gaussian prior on
 * the weights in the chapter's MAP view; L1 is a Laplace prior.
 *
 * L1's subgradient makes weights oscillate around zero without reaching it; the proximal form
 * (soft-thresholding after the optimizer step, ISTA: Daubechies, Defrise & De Mol 2004; Tibshirani 1996
 * for the lasso) sets them to exactly zero, which is the sparsity the chapter describes:
 *
 *   p = sign(p) * max(|p| - lr * lambda, 0)
 *
 * `excludeBiases` skips tensors whose name ends in `.bias` (penalizing an offset only biases the fit).
 * Gradients are accumulated into `grads` in place so the hot path allocates nothing.
 */
import { ShapeError } from '../errors.js';
import type { ParamMap, Tensor } from '../math/tensor.js';
import { nonNegative } from './validate.js';

export interface RegularizerOptions {
  /** Leave tensors named `*.bias` unpenalized. Default false, like torch's weight_decay. */
  readonly excludeBiases?: boolean;
}

function skipped(name: string, options: RegularizerOptions): boolean {
  return options.excludeBiases === true && name.endsWith('.bias');
}

function gradFor(grads: ParamMap, name: string, p: Tensor): Tensor {
  const g = grads[name];
  if (g === undefined || g.length !== p.length) {
    throw new ShapeError(`grads["${name}"] must exist with ${p.length} elements to add a penalty gradient`);
  }
  return g;
}

/** lambda * sum of p^2 over the penalized tensors. */
export function l2Penalty(params: ParamMap, lambda: number, options: RegularizerOptions = {}): number {
  nonNegative('l2.lambda', lambda);
  let sum = 0;
  for (const name in params) {
    if (skipped(name, options)) continue;
    const p = params[name];
    const n = p.length;
    for (let i = 0; i < n; i++) sum += p[i] * p[i];
  }
  return lambda * sum;
}

/** grads += 2 * lambda * p over the penalized tensors. */
export function addL2Gradient(params: ParamMap, grads: ParamMap, lambda: number, options: RegularizerOptions = {}): void {
  nonNegative('l2.lambda', lambda);
  const scale = 2 * lambda;
  for (const name in params) {
    if (skipped(name, options)) continue;
    const p = params[name];
    const g = gradFor(grads, name, p);
    const n = p.length;
    for (let i = 0; i < n; i++) g[i] = g[i] + scale * p[i];
  }
}

/** lambda * sum of |p| over the penalized tensors. */
export function l1Penalty(params: ParamMap, lambda: number, options: RegularizerOptions = {}): number {
  nonNegative('l1.lambda', lambda);
  let sum = 0;
  for (const name in params) {
    if (skipped(name, options)) continue;
    const p = params[name];
    const n = p.length;
    for (let i = 0; i < n; i++) sum += Math.abs(p[i]);
  }
  return lambda * sum;
}

/** grads += lambda * sign(p) over the penalized tensors (a subgradient; 0 at p = 0). */
export function addL1Subgradient(
  params: ParamMap,
  grads: ParamMap,
  lambda: number,
  options: RegularizerOptions = {},
): void {
  nonNegative('l1.lambda', lambda);
  for (const name in params) {
    if (skipped(name, options)) continue;
    const p = params[name];
    const g = gradFor(grads, name, p);
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const x = p[i];
      g[i] = g[i] + (x > 0 ? lambda : x < 0 ? -lambda : 0);
    }
  }
}

/**
 * The L1 proximal step, in place, AFTER the optimizer step that used learning rate `lr`: shrinks every
 * penalized element towards 0 by lr * lambda and stops exactly at 0.
 */
export function proximalL1(params: ParamMap, lambda: number, lr: number, options: RegularizerOptions = {}): void {
  const threshold = nonNegative('l1.lambda', lambda) * nonNegative('proximalL1.lr', lr);
  for (const name in params) {
    if (skipped(name, options)) continue;
    const p = params[name];
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const x = p[i];
      // NaN fails both comparisons: keep it visible rather than "shrink" it to a clean 0.
      p[i] = x > threshold ? x - threshold : x < -threshold ? x + threshold : Number.isNaN(x) ? x : 0;
    }
  }
}
