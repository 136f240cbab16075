/**
 * The logistic function and its log, from the one exponential both need, e = exp(-|x|) (every caller
 * needs both, so only the shared-exponential forms exist):
 *
 *   sigmoid(x)     = 1 / (1 + e)   for x >= 0        e / (1 + e)   for x < 0
 *   logSigmoid(x)  = min(x, 0) - log1p(e)
 *
 * logSigmoid is torch's CPU formula (https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/cpu/Activation.cpp).
 * For x >= 0 sigmoid is torch's 1 / (1 + exp(-x)) to the bit (UnaryOpsKernel.cpp); for x < 0 it is the
 * same quantity written over exp(x) instead of exp(-x), so that a loss needing both functions of one
 * logit (bce_with_logits: the value and the gradient) pays one exponential instead of two, a third of
 * a logistic-regression row's work. The two forms differ by at most a rounding of the last double bit.
 *
 * Exact at the extremes without overflow: exp(-|x|) never exceeds 1, so x = -1e4 gives sigmoid 0 and
 * logSigmoid -1e4, x = 1e4 gives 1 and 0; NaN stays NaN.
 */

/** e = exp(-|x|), the exponential sigmoidFrom and logSigmoidFrom take. */
export function expNegAbs(x: number): number {
  return Math.exp(-Math.abs(x));
}

/** sigmoid(x) given e = expNegAbs(x). */
export function sigmoidFrom(x: number, e: number): number {
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** logSigmoid(x) given e = expNegAbs(x). */
export function logSigmoidFrom(x: number, e: number): number {
  return Math.min(x, 0) - Math.log1p(e);
}
