/**
 * Adam and AdamW as torch.optim.Adam / torch.optim.AdamW (single-tensor path,
 * https://github.com/pytorch/pytorch/blob/main/torch/optim/adam.py). Kingma & Ba 2015, "Adam: A Method
 * for Stochastic Optimization"; AMSGrad: Reddi, Kale & Kumar 2018, "On the Convergence of Adam and
 * Beyond"; AdamW: Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization".
 *
 *   adamw:  p = p * (1 - lr * weightDecay)          (decoupled, before the moments; g is not decayed)
 *   adam:   g = g + weightDecay * p                 (L2, inside the moments)
 *   m = lerp(m, g, 1 - beta1)                       (torch.lerp's two formulas, lerp.ts)
 *   v = beta2 * v + (1 - beta2) * g * g
 *   amsgrad: vmax = max(vmax, v), used in place of v below (the raw v keeps averaging)
 *   bc1 = 1 - beta1^t,  bc2 = 1 - beta2^t           (double-precision scalars, t counts from 1)
 *   p = p - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
 *
 * This is the chapter's bias-corrected Adam (m_hat = m / bc1, v_hat = v / bc2) with eps added to
 * sqrt(v_hat). Slots: `<param>/exp_avg`, `<param>/exp_avg_sq`, and `<param>/max_exp_avg_sq` with amsgrad.
 *
 * Two implementations of the element loop: the JS loops of adam-update.ts compute each element in double
 * precision and round what torch stores; the WebAssembly SIMD kernel (src/kernels/adam.wat, driven by
 * adam-simd.ts) rounds every operation to float32 as torch's float32 kernels do, four lanes at a time.
 * Large float32 tensors take the kernel (`simdMinLength`); the rest, and every tensor where the runtime
 * lacks WebAssembly SIMD, take the JS loops. Both stay within the float32 torch parity tolerances.
 */
import type { ParamMap, Tensor } from '../math/tensor.js';
import { SimdMoments } from './adam-simd.js';
import { isCommonCase, updateCommon, updateGeneral, type AdamStepScalars } from './adam-update.js';
import { OptimizerBase, type SlotSpec } from './optimizer-base.js';
import type { OptimizerConfig, OptimizerState } from './types.js';
import { boolean, invalid, knownKeys, nonNegative, unitIntervalHalfOpen } from './validate.js';

export type AdamConfig = Extract<OptimizerConfig, { type: 'adam' | 'adamw' }>;

/** Which implementation runs (not part of the config or the state: a checkpoint restores under either). */
export interface AdamOptions {
  /**
   * Float32 tensors of at least this many elements are updated by the WebAssembly SIMD kernel; smaller
   * ones take the JS loops, which win where the kernel's call and copies cost more than its loop saves.
   * Infinity keeps every tensor on the JS loops; 0 sends every float32 tensor to the kernel.
   */
  simdMinLength?: number;
}

/**
 * The break-even on Node 20, one float32 tensor per step, CPU medians of 7 rounds of 100k steps: 16
 * elements 342 ns per step on the kernel against 311 on the JS loops, 32 elements 368 against 452, 256
 * elements 747 against 2622.
 */
export const DEFAULT_SIMD_MIN_LENGTH = 32;

export class Adam extends OptimizerBase {
  /** 'adamw' means decoupled weight decay (default 1e-2); 'adam' means L2 (default 0). */
  readonly type: 'adam' | 'adamw';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  readonly simdMinLength: number;
  /** Rewritten by every step (the hot path allocates nothing). */
  private readonly scalars: AdamStepScalars;
  /** Created with the first tensor that qualifies; null where the runtime lacks WebAssembly SIMD. */
  private simd: SimdMoments | null | undefined;

  constructor(config: AdamConfig, options: AdamOptions = {}) {
    const type = config.type;
    knownKeys(type, config, ['type', 'lr', 'betas', 'eps', 'weightDecay', 'amsgrad']);
    const amsgrad = boolean(`${type}.amsgrad`, config.amsgrad ?? false);
    const slots: SlotSpec[] = [
      { name: 'exp_avg', initialValue: 0 },
      { name: 'exp_avg_sq', initialValue: 0 },
    ];
    if (amsgrad) slots.push({ name: 'max_exp_avg_sq', initialValue: 0 });
    super({ lr: config.lr ?? 1e-3, lrField: `${type}.lr`, slots });
    this.type = type;
    this.amsgrad = amsgrad;
    const betas = config.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) invalid(`${type}.betas`, betas, 'must be a pair [beta1, beta2]');
    this.beta1 = unitIntervalHalfOpen(`${type}.betas[0]`, betas[0]);
    this.beta2 = unitIntervalHalfOpen(`${type}.betas[1]`, betas[1]);
    this.eps = nonNegative(`${type}.eps`, config.eps ?? 1e-8);
    this.weightDecay = nonNegative(`${type}.weightDecay`, config.weightDecay ?? (type === 'adamw' ? 1e-2 : 0));
    const simdMinLength = options.simdMinLength ?? DEFAULT_SIMD_MIN_LENGTH;
    if (typeof simdMinLength !== 'number' || !(simdMinLength >= 0)) {
      invalid('simdMinLength', simdMinLength, 'must be a number >= 0 (Infinity keeps the JS loops)');
    }
    this.simdMinLength = simdMinLength;
    this.scalars = {
      beta1: this.beta1,
      beta2: this.beta2,
      eps: this.eps,
      stepSize: 0,
      bc2Sqrt: 1,
      decayFactor: 1,
      l2: type === 'adamw' ? 0 : this.weightDecay,
    };
  }

  protected updateTensor(p: Tensor, g: Tensor, slots: Tensor[], _fresh: boolean, lr: number, t: number): void {
    const s = this.scalars;
    s.stepSize = lr / (1 - this.beta1 ** t);
    s.bc2Sqrt = Math.sqrt(1 - this.beta2 ** t);
    s.decayFactor = this.type === 'adamw' ? 1 - lr * this.weightDecay : 1;
    if (p.length >= this.simdMinLength && this.simdUpdate(p, g, slots)) return;
    if (isCommonCase(s, p, slots[0], this.amsgrad)) updateCommon(p, g, slots[0], slots[1], s);
    else updateGeneral(p, g, slots[0], slots[1], this.amsgrad ? slots[2] : null, s);
  }

  /** The moments of resident tensors are copied out first: the base class reads its slots. */
  override getState(): OptimizerState {
    this.simd?.syncSlots();
    return super.getState();
  }

  override effectiveLearningRates(): ParamMap {
    this.simd?.syncSlots();
    return super.effectiveLearningRates();
  }

  /**
   * The base class now holds new slot tensors, which the next step copies in; the resident moments of the
   * replaced ones are dropped here so that their WebAssembly memory is reused.
   */
  override setState(state: OptimizerState): void {
    super.setState(state);
    this.simd?.clear();
  }

  /** False when the JS loops must take this tensor (not all float32, no SIMD, no room in the memory). */
  private simdUpdate(p: Tensor, g: Tensor, slots: Tensor[]): boolean {
    if (!(p instanceof Float32Array && g instanceof Float32Array && slots[0] instanceof Float32Array)) {
      // A resident tensor stepped with float64 arrays from now on continues from its resident moments.
      this.simd?.evict(slots);
      return false;
    }
    if (this.simd === undefined) this.simd = SimdMoments.create();
    return this.simd !== null && this.simd.update(p, g, slots, this.scalars);
  }

  protected fillEffectiveLr(out: Tensor, slots: Tensor[], lr: number, t: number): void {
    const second = this.amsgrad ? slots[2] : slots[1];
    const bc1 = 1 - this.beta1 ** t;
    const bc2Sqrt = Math.sqrt(1 - this.beta2 ** t);
    const eps = this.eps;
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = lr / (bc1 * (Math.sqrt(second[i]) / bc2Sqrt + eps));
  }
}
