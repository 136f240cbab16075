/**
 * The Adam-family kernel of adam.wat: one step of Adam, AdamW or AMSGrad over float32 arrays in a
 * KernelMemory, four lanes at a time, rounding each operation to float32 in torch's order (the formulas
 * are in adam.wat). The caller passes byte offsets from `KernelMemory.allocateFloat32`.
 */
import { bytes } from './generated/adam-wasm.js';
import type { KernelMemory } from './kernel-memory.js';
import { compileKernel, instantiateKernel } from './wasm.js';

/**
 * Arguments in adam.wat's order. Offsets are bytes; `vmax` is 0 without AMSGrad; `vectors` counts groups
 * of four elements (the arrays' padding makes the last group whole). The scalars are rounded to float32
 * on the way in, as ATen casts a Python scalar to a float32 tensor's dtype.
 */
export type AdamKernel = (
  p: number,
  g: number,
  m: number,
  v: number,
  vmax: number,
  vectors: number,
  decayFactor: number,
  l2: number,
  weight: number,
  beta2: number,
  oneMinusBeta2: number,
  negStepSize: number,
  bc2Sqrt: number,
  eps: number,
) => void;

/** The kernel bound to `memory`, or null where the runtime lacks WebAssembly SIMD. */
export function createAdamKernel(memory: KernelMemory): AdamKernel | null {
  const module = compileKernel(bytes);
  return module === null ? null : (instantiateKernel(module, memory.memory).adam as AdamKernel);
}
