/**
 * Named parameter tensors. Names follow torch's state_dict of an nn.Sequential of Linear layers with the
 * activations stripped: `dense0.weight` (out, in), `dense0.bias`, `dense1.weight`, ... in layer order,
 * so a checkpoint or a torch state_dict maps one to one after renaming the layer indices.
 */
import { ShapeError } from '../errors.js';
import { allocate, cloneTensor, type DType, type ParamMap } from '../math/tensor.js';

export function weightName(layer: number): string {
  return `dense${layer}.weight`;
}

export function biasName(layer: number): string {
  return `dense${layer}.bias`;
}

/**
 * Zero-filled tensors for a chain of dense layers of the given widths (widths[0] = inputs). The map is
 * frozen (the tensors' values are not): a model's set of tensors is fixed for its life, and an optimizer
 * given frozen maps checks their shapes once instead of every step (optim/optimizer-base.ts).
 */
export function allocateDenseParams(dtype: DType, widths: readonly number[]): ParamMap {
  const params: ParamMap = {};
  for (let layer = 0; layer + 1 < widths.length; layer++) {
    params[weightName(layer)] = allocate(dtype, widths[layer + 1] * widths[layer]);
    params[biasName(layer)] = allocate(dtype, widths[layer + 1]);
  }
  return Object.freeze(params);
}

/**
 * Copies `values` into `target` in place (converting to the target dtype), after checking that the names
 * are exactly the target's and every length matches. Nothing is written unless everything fits.
 */
export function loadParameters(target: ParamMap, values: Readonly<Record<string, ArrayLike<number>>>): void {
  for (const name of Object.keys(values)) {
    if (!Object.hasOwn(target, name)) {
      throw new ShapeError(`unknown parameter '${name}'; expected ${Object.keys(target).join(', ')}`);
    }
  }
  for (const [name, tensor] of Object.entries(target)) {
    const source = Object.hasOwn(values, name) ? values[name] : undefined;
    if (source === undefined) throw new ShapeError(`missing parameter '${name}'`);
    if (source.length !== tensor.length) {
      throw new ShapeError(`parameter '${name}' needs ${tensor.length} values, got ${source.length}`);
    }
  }
  for (const [name, tensor] of Object.entries(target)) {
    const source = values[name];
    for (let i = 0; i < tensor.length; i++) tensor[i] = source[i];
  }
}

/** Independent copies of every tensor, in the same order. */
export function copyParameters(params: ParamMap): ParamMap {
  const copy: ParamMap = {};
  for (const [name, tensor] of Object.entries(params)) copy[name] = cloneTensor(tensor);
  return copy;
}
