import type { ParamMap, Tensor } from '../math/tensor.js';

/** A learning rate is a number or a schedule of the step count; normalized in one place (schedules.ts). */
export type LearningRate = number | ScheduleConfig;

export type ScheduleConfig =
  | { type: 'constant'; lr: number }
  /** lr * gamma^floor((t-1) / stepSize), t counting optimizer steps from 1 (torch StepLR per step). */
  | { type: 'step'; lr: number; stepSize: number; gamma?: number }
  /** lr * gamma^(t-1) (torch ExponentialLR per step). */
  | { type: 'exponential'; lr: number; gamma: number }
  /** lr / (1 + decay * (t-1)). */
  | { type: 'inverse_time'; lr: number; decay: number; power?: number }
  /** etaMin + (lr - etaMin)(1 + cos(pi * min(t-1, tMax) / tMax)) / 2 (torch CosineAnnealingLR closed form). */
  | { type: 'cosine'; lr: number; tMax: number; etaMin?: number };

export type OptimizerConfig =
  | { type: 'sgd'; lr: LearningRate; momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number }
  | {
      type: 'adagrad';
      lr?: LearningRate;
      lrDecay?: number;
      weightDecay?: number;
      initialAccumulatorValue?: number;
      eps?: number;
    }
  | {
      type: 'rmsprop';
      lr?: LearningRate;
      alpha?: number;
      eps?: number;
      weightDecay?: number;
      momentum?: number;
      centered?: boolean;
    }
  | {
      type: 'adam' | 'adamw';
      lr?: LearningRate;
      betas?: readonly [number, number];
      eps?: number;
      weightDecay?: number;
      amsgrad?: boolean;
    };

export type OptimizerType = OptimizerConfig['type'];

/**
 * Everything needed to continue exactly: hyper-parameters travel in the config, state in here.
 * Slots are named `<param>/<slot>` (tfjs habit), e.g. `dense0.weight/exp_avg`, and are copies.
 */
export interface OptimizerState {
  readonly type: OptimizerType;
  /** Number of steps taken (t of the last step; 0 before the first). */
  readonly step: number;
  readonly slots: Readonly<Record<string, Tensor>>;
}

export interface Optimizer {
  readonly type: OptimizerType;
  /** Updates `params` in place from `grads` (same names and lengths). Slots are created lazily. */
  step(params: ParamMap, grads: ParamMap): void;
  /** The learning rate the next step will use (after scheduling). */
  currentLr(): number;
  /** Replaces the base learning rate (or schedule) without touching state: compatible config changes. */
  setLearningRate(lr: LearningRate): void;
  /** Per element, the factor multiplying the update direction at the last step (DESIGN.md §6). */
  effectiveLearningRates(): ParamMap;
  getState(): OptimizerState;
  setState(state: OptimizerState): void;
}
