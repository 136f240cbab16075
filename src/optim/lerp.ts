/**
 * torch.lerp as ATen computes it (aten/src/ATen/native/Lerp.h): two formulas, picked by the weight, so
 * that the result is exact at both ends. Adam's first moment and RMSprop's centered average use it
 * (`exp_avg.lerp_(grad, 1 - beta1)`); matching the branch keeps float64 trajectories within rounding of
 * torch even for betas below 0.5.
 *
 *   |w| < 0.5:  a + w * (b - a)           (from the start a)
 *   otherwise:  b - (b - a) * (1 - w)     (from the end b)
 *
 * The weight is the same for every element of a tensor, so the update loops pick the formula once with
 * this test and inline it (a call with the test per element measured markedly slower on V8).
 */
export function lerpFromStart(weight: number): boolean {
  return Math.abs(weight) < 0.5;
}
