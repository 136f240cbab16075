/**
 * The logistic function and its log, as torch's CPU kernels compute them:
 *
 *   sigmoid(x)     = 1 / (1 + exp(-x))
 *   logSigmoid(x)  = min(x, 0) - log1p(exp(-|x|))
 *
 * Sources: https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/cpu/UnaryOpsKernel.cpp (sigmoid)
 * and https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/cpu/Activation.cpp (log_sigmoid).
 *
 * Both are exact at the extremes without branches: for x = -1e4, exp(1e4) = Infinity and 1/Infinity = 0;
 * logSigmoid never exponentiates a positive number, so it stays finite (-1e4 at x = -1e4).
 */

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function logSigmoid(x: number): number {
  return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
}
