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
 * beta1 > 0.5, slots of the parameter's dtype): no per-element branch but the dtype's. `updateGeneral`
 * covers everything, at the cost of loop-invariant branches V8 does not hoist.
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
  for (let i = 0; i < n; i++) {
    // Order matters: AdamW shrinks p before the update reads it (times 1, exactly p, for Adam).
    let param = p[i] * decayFactor;
    const d = g[i];
    const mPrev = m[i];
    let first = mPrev + weight * (d - mPrev);
    let second = v[i] * beta2 + oneMinusBeta2 * d * d;
    if (float32) {
      param = Math.fround(param);
      first = Math.fround(first);
      second = Math.fround(second);
    }
    m[i] = first;
    v[i] = second;
    p[i] = param - stepSize * (first / (Math.sqrt(second) / bc2Sqrt + eps));
  }
}

export function updateGeneral(p: Tensor, g: Tensor, m: Tensor, v: Tensor, vmax: Tensor | null, s: AdamStepScalars): void {
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
  for (let i = 0; i < n; i++) {
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
