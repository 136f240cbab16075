import type { Rng } from '../math/rng.js';
import type { DType, ParamMap, Tensor } from '../math/tensor.js';

export type Activation = 'identity' | 'relu' | 'tanh' | 'sigmoid';
/** Applied after the last layer; chosen from the loss (logits losses want identity). */
export type OutputActivation = 'identity' | 'sigmoid' | 'softmax';
export type Initializer = 'xavier_uniform' | 'he_uniform' | 'he_normal' | 'zeros' | 'torch_default';

export type ModelConfig =
  | { type: 'linear'; inputs: number; outputs?: number; dtype?: DType; init?: Initializer }
  | { type: 'logistic'; inputs: number; dtype?: DType; init?: Initializer; output?: OutputActivation }
  | { type: 'softmax'; inputs: number; classes: number; dtype?: DType; init?: Initializer; output?: OutputActivation }
  | {
      type: 'mlp';
      inputs: number;
      hidden: readonly number[];
      outputs: number;
      activation?: Activation;
      /** Dropout probability after each hidden layer's activation: one number for all, or one per hidden layer. */
      dropout?: number | readonly number[];
      dtype?: DType;
      init?: Initializer;
      output?: OutputActivation;
    };

export type ModelType = ModelConfig['type'];

/**
 * A differentiable model over row-major minibatches. Parameters are named like torch modules
 * (`dense0.weight` with layout (out, in), `dense0.bias`, `dense1.weight`, ...).
 */
export interface Model {
  readonly type: ModelType;
  readonly dtype: DType;
  readonly inputs: number;
  readonly outputs: number;
  /** Parameter tensors, updated in place by optimizers. Stable names and order. */
  readonly params: ParamMap;
  /** Gradient tensors with the same names, overwritten by `backward`. */
  readonly grads: ParamMap;
  /**
   * x: row-major [batchSize x inputs]. Returns [batchSize x outputs] after the output activation.
   * In training mode (the default, like a torch module) dropout draws its masks from `rng`, which is
   * then required if any layer has dropout > 0. Activations are kept for `backward` in either mode.
   * The returned tensor is owned by the model and overwritten by the next forward call.
   */
  forward(x: Tensor, batchSize: number, options?: { training?: boolean; rng?: Rng }): Tensor;
  /**
   * Back-propagates d(loss)/d(outputs) of the last training forward; writes `grads` (overwrite, not
   * accumulate) and returns them. A mean-reduced loss gives mean minibatch gradients.
   */
  backward(gradOutputs: Tensor): ParamMap;
  /** Inference forward: no dropout, nothing kept; safe to call between training steps. */
  predict(x: Tensor, batchSize: number): Tensor;
  /** Total number of scalar parameters. */
  parameterCount(): number;
  /**
   * Copies values into `params` in place (converted to the model's dtype). Names must be exactly the
   * model's and lengths must match (ShapeError otherwise; nothing is written then).
   */
  setParameters(values: Readonly<Record<string, ArrayLike<number>>>): void;
  /** Independent copies of `params`, same names and order. */
  getParameters(): ParamMap;
}
