/**
 * Dense tensors are plain typed arrays, row-major. A model chooses one dtype for all of its
 * parameters (float32 by default, float64 for reference checks against PyTorch).
 */
export type Tensor = Float32Array | Float64Array;

export type DType = 'float32' | 'float64';

/** Named tensors, e.g. `{ 'dense0.weight': ..., 'dense0.bias': ... }`. Insertion order is meaningful. */
export type ParamMap = Record<string, Tensor>;

export function allocate(dtype: DType, length: number): Tensor {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

export function dtypeOf(tensor: Tensor): DType {
  return tensor instanceof Float64Array ? 'float64' : 'float32';
}

/** A tensor of the same dtype and length, zero-filled. */
export function zerosLike(tensor: Tensor): Tensor {
  return allocate(dtypeOf(tensor), tensor.length);
}

/** A copy of the same dtype. */
export function cloneTensor(tensor: Tensor): Tensor {
  return tensor instanceof Float64Array ? new Float64Array(tensor) : new Float32Array(tensor);
}
