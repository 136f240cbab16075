/**
 * The element loops of Adam / AdamW (adam.ts gives the formulas and the torch source). Both compute, per
 * element and in torch's order of operations:
 *
 *   p' = p * decayFactor                  (AdamW; decayFactor = 1 - lr * weightDecay, else 1)
 *   d = g + l2 * p'                       (Adam's L2; skipped when l2 = 0, as torch skips it)
 *   m = lerp(m, d, 1 - beta1);  v = beta2 * v + (1 - beta2) * d * d;  amsgrad: vmax = max(vmax, v)
 *   p = p' - stepSize * (m / (sqrt(v or vmax) / bc2Sqrt + eps))
 *
 * Every value that torch stores in a tensor (p', m, v, vmax) is rounded to that tensor's dtype before it
 * is used again (Math.fround for float32), exactly what storing and reading back gives, but each element
 * is loaded once and stored once. Measured on V8 (Node 20), 4M float32 parameters, this shape ran
 * 1.5-2x faster than storing and re-reading (bench/, case adam-4m).
 *
 * `updateCommon` is the loop of the default configurations (Adam and AdamW without L2 or AMSGrad,
 * beta1 > 0.5, slots of the parameter's dtype): no per-element branch but the dtype's, two elements per
 * iteration. `updateGeneral` covers everything, at the cost of loop-invariant branches V8 does not hoist.
 */
import type { Tensor } from '../math/tensor.js';
import { lerpFromStart } from './lerp.js';

/** One step's scalars, computed in double precision by Adam and reused across steps. */
export interface AdamStepScalars {
  beta1: number;
  beta2: number;
  eps: number;
  /** lr / (1 - beta1^t). */
  stepSize: number;
  /** sqrt(1 - beta2^t). */
  bc2Sqrt: number;
  /** 1 - lr * weightDecay for AdamW, 1 for Adam. */
  decayFactor: number;
  /** weightDecay for Adam (L2 added to the gradient), 0 for AdamW. */
  l2: number;
}

/** Whether `updateCommon` applies (it then gives the same numbers as `updateGeneral`). */
export function isCommonCase(s: AdamStepScalars, p: Tensor, m: Tensor, amsgrad: boolean): boolean {
  // updateCommon inlines only torch.lerp's from-start formula (lerp.ts).
  return s.l2 === 0 && !amsgrad && lerpFromStart(1 - s.beta1) && p instanceof Float32Array === m instanceof Float32Array;
}

export function updateCommon(p: Tensor, g: Tensor, m: Tensor, v: Tensor, s: AdamStepScalars): void {
  const { beta2, eps, stepSize, bc2Sqrt, decayFactor } = s;
  const weight = 1 - s.beta1;
  const oneMinusBeta2 = 1 - beta2;
  const float32 = p instanceof Float32Array;
  const n = p.length;
  // Two elements per iteration: V8 checks every typed array's map and bounds again in each iteration, and
  // a pair shares those checks (15-25% faster on 4M float32 parameters). An odd last element goes to
  // updateGeneral, which gives the same numbers.
  let i = 0;
  for (; i + 1 < n; i += 2) {
    // Order matters: AdamW shrinks p before the update reads it (times 1, exactly p, for Adam).
    let param0 = p[i] * decayFactor;
    let param1 = p[i + 1] * decayFactor;
    const d0 = g[i];
    const d1 = g[i + 1];
    const mPrev0 = m[i];
    const mPrev1 = m[i + 1];
    let first0 = mPrev0 + weight * (d0 - mPrev0);
    let first1 = mPrev1 + weight * (d1 - mPrev1);
    let second0 = v[i] * beta2 + oneMinusBeta2 * d0 * d0;
    let second1 = v[i + 1] * beta2 + oneMinusBeta2 * d1 * d1;
    if (float32) {
      param0 = Math.fround(param0);
      param1 = Math.fround(param1);
      first0 = Math.fround(first0);
      first1 = Math.fround(first1);
      second0 = Math.fround(second0);
      second1 = Math.fround(second1);
    }
    m[i] = first0;
    m[i + 1] = first1;
    v[i] = second0;
    v[i + 1] = second1;
    p[i] = param0 - stepSize * (first0 / (Math.sqrt(second0) / bc2Sqrt + eps));
    p[i + 1] = param1 - stepSize * (first1 / (Math.sqrt(second1) / bc2Sqrt + eps));
  }
  if (i < n) updateGeneral(p, g, m, v, null, s, i);
}

/** Elements `start` to the end. */
export function updateGeneral(
  p: Tensor,
  g: Tensor,
  m: Tensor,
  v: Tensor,
  vmax: Tensor | null,
  s: AdamStepScalars,
  start = 0,
): void {
  const { beta2, eps, stepSize, bc2Sqrt, decayFactor, l2 } = s;
  const decoupled = decayFactor !== 1;
  const hasL2 = l2 !== 0;
  const weight = 1 - s.beta1;
  const fromStart = lerpFromStart(weight);
  const complement = 1 - weight;
  const oneMinusBeta2 = 1 - beta2;
  const param32 = p instanceof Float32Array;
  // The base class keeps all slots of a parameter in one dtype, so vmax's max of two slot values is exact.
  const slot32 = m instanceof Float32Array;
  const n = p.length;
  for (let i = start; i < n; i++) {
    let param = p[i];
    if (decoupled) {
      param *= decayFactor;
      if (param32) param = Math.fround(param);
    }
    const d = hasL2 ? g[i] + l2 * param : g[i];
    const mPrev = m[i];
    let first = fromStart ? mPrev + weight * (d - mPrev) : d - (d - mPrev) * complement;
    let second = v[i] * beta2 + oneMinusBeta2 * d * d;
    if (slot32) {
      first = Math.fround(first);
      second = Math.fround(second);
    }
    m[i] = first;
    v[i] = second;
    if (vmax !== null) {
      second = Math.max(vmax[i], second);
      vmax[i] = second;
    }
    p[i] = param - stepSize * (first / (Math.sqrt(second) / bc2Sqrt + eps));
  }
}
