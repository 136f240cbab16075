/**
 * A WebAssembly memory holding the float32 arrays that kernels work on, with a bump allocator: arrays
 * live as long as their owner (an optimizer's moments), which frees them all at once with `reset`.
 *
 * Every array starts on a 16-byte boundary and is padded to a whole number of f32x4 vectors, so that a
 * kernel can run its last vector over the padding instead of having a scalar tail loop. Offset 0 is never
 * handed out: kernels take 0 to mean "no array" (e.g. AMSGrad's maximum when AMSGrad is off).
 *
 * Growing the memory replaces its ArrayBuffer and detaches every view cut from the old one: holders keep
 * byte offsets and cut their views again when `generation` has changed.
 */
import { createWasmMemory, WASM_PAGE_BYTES, type WasmMemory } from './wasm.js';

const VECTOR_BYTES = 16;

export class KernelMemory {
  readonly memory: WasmMemory;
  private top = VECTOR_BYTES;
  private grows = 0;

  private constructor(memory: WasmMemory) {
    this.memory = memory;
  }

  /** Null where the runtime has no WebAssembly. */
  static create(): KernelMemory | null {
    const memory = createWasmMemory(1);
    return memory === null ? null : new KernelMemory(memory);
  }

  /** Changes whenever the memory grows, i.e. whenever views cut before have been detached. */
  get generation(): number {
    return this.grows;
  }

  /**
   * Byte offset of `length` float32 elements (contents unspecified), or null when the memory cannot grow
   * that far (wasm32 addresses 4 GiB at most).
   */
  allocateFloat32(length: number): number | null {
    const offset = this.top;
    const end = offset + Math.ceil(length / 4) * VECTOR_BYTES;
    const missing = Math.ceil((end - this.memory.buffer.byteLength) / WASM_PAGE_BYTES);
    if (missing > 0) {
      try {
        this.memory.grow(missing);
      } catch (error) {
        if (error instanceof RangeError) return null;
        throw error;
      }
      this.grows++;
    }
    this.top = end;
    return offset;
  }

  /** A view of `length` elements at `offset`; valid until the memory grows. */
  float32(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }

  /** Forgets every allocation; the pages stay (WebAssembly memory cannot shrink) and are reused. */
  reset(): void {
    this.top = VECTOR_BYTES;
  }
}
