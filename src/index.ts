// The public library API: re-exports only.
export type { Tensor, DType, ParamMap } from './math/tensor.js';
export { Rng } from './math/rng.js';
export type { RngState } from './math/rng.js';
export { LearnerError, ConfigError, ShapeError } from './errors.js';
