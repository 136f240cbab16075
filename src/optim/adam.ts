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
 * The element loops are in adam-update.ts.
 */
import type { Tensor } from '../math/tensor.js';
import { isCommonCase, updateCommon, updateGeneral, type AdamStepScalars } from './adam-update.js';
import { OptimizerBase, type SlotSpec } from './optimizer-base.js';
import type { OptimizerConfig } from './types.js';
import { boolean, invalid, knownKeys, nonNegative, unitIntervalHalfOpen } from './validate.js';

export type AdamConfig = Extract<OptimizerConfig, { type: 'adam' | 'adamw' }>;

export class Adam extends OptimizerBase {
  /** 'adamw' means decoupled weight decay (default 1e-2); 'adam' means L2 (default 0). */
  readonly type: 'adam' | 'adamw';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  /** Rewritten by every step (the hot path allocates nothing). */
  private readonly scalars: AdamStepScalars;

  constructor(config: AdamConfig) {
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
    if (isCommonCase(s, p, slots[0], this.amsgrad)) updateCommon(p, g, slots[0], slots[1], s);
    else updateGeneral(p, g, slots[0], slots[1], this.amsgrad ? slots[2] : null, s);
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
