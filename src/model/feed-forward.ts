/**
 * A feed-forward network: dense layers with an activation (and optional inverted dropout) after each
 * hidden layer, then an output activation. Every model type (linear, logistic, softmax, mlp) is one
 * of these with a particular shape. Forward for a batch X:
 *
 *   h_0 = X,  h_{l+1} = dropout_l(f_l(h_l W_lᵀ + b_l))  for hidden layers,  y = g(h_L W_Lᵀ + b_L)
 *
 * and backward is the chain rule through the same stages in reverse (see dense.ts, activations.ts,
 * dropout.ts, output-activation.ts for each stage's formula).
 *
 * Memory: parameters and gradients are allocated once; activations in two buffer sets (training and
 * predict) sized for the largest batch seen, so `predict` never disturbs what `backward` needs.
 */
import { LearnerError, ShapeError } from '../errors.js';
import type { Rng } from '../math/rng.js';
import type { DType, ParamMap, Tensor } from '../math/tensor.js';
import { activationBackward, activationForward } from './activations.js';
import { BatchBuffers } from './buffers.js';
import { Dense } from './dense.js';
import { dropoutBackward, dropoutForward } from './dropout.js';
import { initializeDense } from './initializers.js';
import { outputBackward, outputForward } from './output-activation.js';
import { allocateDenseParams, biasName, copyParameters, loadParameters, weightName } from './parameters.js';
import type { Activation, Initializer, Model, ModelType, OutputActivation } from './types.js';

export interface HiddenLayerSpec {
  readonly units: number;
  readonly activation: Activation;
  /** Dropout probability after the activation; 0 for none. */
  readonly dropout: number;
}

/** A validated, defaults-filled description of the network (built by the per-type factories). */
export interface FeedForwardSpec {
  readonly type: ModelType;
  readonly dtype: DType;
  readonly inputs: number;
  readonly hidden: readonly HiddenLayerSpec[];
  readonly outputs: number;
  readonly output: OutputActivation;
  readonly init: Initializer;
}

export class FeedForwardModel implements Model {
  readonly type: ModelType;
  readonly dtype: DType;
  readonly inputs: number;
  readonly outputs: number;
  readonly output: OutputActivation;
  readonly params: ParamMap;
  readonly grads: ParamMap;
  private readonly hidden: readonly HiddenLayerSpec[];
  private readonly layers: Dense[] = [];
  private readonly trainBuffers: BatchBuffers;
  private readonly predictBuffers: BatchBuffers;
  private readonly needsRng: boolean;
  /** State of the last `forward`, read by `backward`. */
  private lastBatchSize = 0;
  private lastUsedDropout = false;

  constructor(spec: FeedForwardSpec, rng: Rng) {
    this.type = spec.type;
    this.dtype = spec.dtype;
    this.inputs = spec.inputs;
    this.outputs = spec.outputs;
    this.output = spec.output;
    this.hidden = spec.hidden;
    const widths = [spec.inputs, ...spec.hidden.map((layer) => layer.units), spec.outputs];
    this.params = allocateDenseParams(spec.dtype, widths);
    this.grads = allocateDenseParams(spec.dtype, widths);
    for (let l = 0; l + 1 < widths.length; l++) {
      const layer = new Dense(
        widths[l],
        widths[l + 1],
        this.params[weightName(l)],
        this.params[biasName(l)],
        this.grads[weightName(l)],
        this.grads[biasName(l)],
      );
      initializeDense(spec.init, layer.weight, layer.bias, layer.inputs, layer.outputs, rng);
      this.layers.push(layer);
    }
    const dropout = spec.hidden.map((layer) => layer.dropout);
    this.needsRng = dropout.some((p) => p > 0);
    const layout = {
      dtype: spec.dtype,
      inputs: spec.inputs,
      widths: widths.slice(1),
      dropout,
      outputGrad: spec.output !== 'identity',
    };
    this.trainBuffers = new BatchBuffers({ ...layout, training: true });
    this.predictBuffers = new BatchBuffers({ ...layout, training: false });
  }

  /**
   * `training` defaults to true (torch modules start in train mode); it only switches dropout. Activations
   * are kept either way, so `backward` also works after an inference-mode forward.
   */
  forward(x: Tensor, batchSize: number, options: { training?: boolean; rng?: Rng } = {}): Tensor {
    const training = options.training ?? true;
    const rng = options.rng;
    if (training && this.needsRng && rng === undefined) {
      throw new LearnerError(
        'RNG_REQUIRED',
        'forward: training with dropout needs options.rng (pass the checkpointed Rng so masks are reproducible)',
      );
    }
    const buffers = this.trainBuffers;
    this.run(buffers, x, batchSize, training ? rng : undefined);
    this.lastBatchSize = batchSize;
    this.lastUsedDropout = training && this.needsRng;
    return buffers.output(batchSize);
  }

  backward(gradOutputs: Tensor): ParamMap {
    const batchSize = this.lastBatchSize;
    if (batchSize === 0) throw new LearnerError('NO_FORWARD', 'backward called before any forward');
    if (gradOutputs.length !== batchSize * this.outputs) {
      throw new ShapeError(
        `backward: gradOutputs has ${gradOutputs.length} values, expected batchSize ${batchSize} x outputs ${this.outputs}`,
      );
    }
    const buffers = this.trainBuffers;
    const last = this.layers.length - 1;
    let g = gradOutputs;
    if (this.output !== 'identity') {
      const gz = buffers.grads[last] as Tensor;
      outputBackward(this.output, buffers.activations[last], gradOutputs, gz, batchSize, this.outputs);
      g = gz;
    }
    for (let l = last; l >= 0; l--) {
      const layer = this.layers[l];
      layer.backwardParams(this.layerInput(buffers, l, this.lastUsedDropout), g, batchSize);
      if (l === 0) break;
      // f' is taken from `activations` (the output before dropout), never from the dropped copy.
      const below = l - 1;
      const gh = buffers.grads[below] as Tensor;
      const n = batchSize * layer.inputs;
      layer.backwardInput(g, gh, batchSize);
      const mask = buffers.masks[below];
      if (this.lastUsedDropout && mask !== null) dropoutBackward(gh, mask, n);
      activationBackward(this.hidden[below].activation, buffers.activations[below], gh, n);
      g = gh;
    }
    return this.grads;
  }

  predict(x: Tensor, batchSize: number): Tensor {
    this.run(this.predictBuffers, x, batchSize, undefined);
    return this.predictBuffers.output(batchSize);
  }

  /**
   * The model's only dense layer when it is the whole network (no hidden layers, identity output), for
   * callers that fuse the forward and backward with the loss (src/training/single-logit-bce.ts); null
   * otherwise.
   */
  soleLayer(): Dense | null {
    return this.layers.length === 1 && this.output === 'identity' ? this.layers[0] : null;
  }

  parameterCount(): number {
    let count = 0;
    for (const tensor of Object.values(this.params)) count += tensor.length;
    return count;
  }

  setParameters(values: Readonly<Record<string, ArrayLike<number>>>): void {
    loadParameters(this.params, values);
  }

  getParameters(): ParamMap {
    return copyParameters(this.params);
  }

  /** Forward through every stage; dropout is applied iff `rng` is given (and the layer has p > 0). */
  private run(buffers: BatchBuffers, x: Tensor, batchSize: number, rng: Rng | undefined): void {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ShapeError(`batchSize must be an integer >= 1, got ${batchSize}`);
    }
    if (x.length !== batchSize * this.inputs) {
      throw new ShapeError(`x has ${x.length} values, expected batchSize ${batchSize} x inputs ${this.inputs}`);
    }
    buffers.ensure(batchSize);
    // One copy (a memory copy for the same dtype; the same rounding as element stores otherwise).
    buffers.input.set(x);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l];
      const z = buffers.activations[l];
      layer.forward(this.layerInput(buffers, l, rng !== undefined), z, batchSize);
      if (l === last) break;
      const n = batchSize * layer.outputs;
      const spec = this.hidden[l];
      activationForward(spec.activation, z, n);
      const dropped = buffers.dropped[l];
      const mask = buffers.masks[l];
      if (rng !== undefined && dropped !== null && mask !== null) dropoutForward(spec.dropout, z, dropped, mask, n, rng);
    }
    outputForward(this.output, buffers.activations[last], batchSize, this.outputs);
  }

  /** What dense layer l read in the forward: the input batch, or the layer below after activation/dropout. */
  private layerInput(buffers: BatchBuffers, l: number, usedDropout: boolean): Tensor {
    if (l === 0) return buffers.input;
    const dropped = buffers.dropped[l - 1];
    return usedDropout && dropped !== null ? dropped : buffers.activations[l - 1];
  }
}
