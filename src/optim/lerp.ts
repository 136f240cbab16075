/**
 * torch.lerp as ATen computes it (aten/src/ATen/native/Lerp.h): two formulas, picked by the weight, so
 * that the result is exact at both ends. Adam's first moment and RMSprop's centered average use it
 * (`exp_avg.lerp_(grad, 1 - beta1)`); matching the branch keeps float64 trajectories within rounding of
 * torch even for betas below 0.5.
 *
 *   |w| < 0.5:  a + w * (b - a)
 *   otherwise:  b - (b - a) * (1 - w)
 */
export function lerp(a: number, b: number, weight: number): number {
  return Math.abs(weight) < 0.5 ? a + weight * (b - a) : b - (b - a) * (1 - weight);
}
