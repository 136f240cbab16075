/**
 * Adam's float32 moments resident in WebAssembly memory, updated by the SIMD kernel of
 * src/kernels/adam.wat (float32 arithmetic in torch's order of operations; adam.ts decides which tensors
 * come here).
 *
 * Parameters and gradients stay in the model's typed arrays, so each step copies them into the memory
 * and the parameters back out, CHUNK_LENGTH elements at a time through one scratch area that stays in
 * cache: the moments then cross memory once per step, as in a C loop, and only the copies are extra.
 * Measured on 4M parameters (bench adam-4m, CPU time under load): 2.6-3.1 ns/param, against 1.5-1.7 for
 * the kernel alone on data already in the memory (what parameters allocated there by the model would give)
 * and 10.5-12.4 for the JS loops; whole-tensor copies instead of chunks measured 1.3-1.5x slower.
 *
 * The base class's slot tensors remain the state that getState reads and setState writes: `syncSlots`
 * copies the resident moments into them, and a tensor becomes resident starting from them (zeros on the
 * first step, the restored moments after setState, which calls `clear`). They stay allocated beside the
 * resident copies, which costs address space only until the first sync: a large zero-filled typed array
 * is mapped lazily by the OS, page by page as it is written.
 */
import { createAdamKernel, type AdamKernel } from '../kernels/adam.js';
import { KernelMemory } from '../kernels/kernel-memory.js';
import type { Tensor } from '../math/tensor.js';
import type { AdamStepScalars } from './adam-update.js';

/** 64 KiB of parameters and 64 KiB of gradients: on 4M parameters, 4K-32K measured alike, 2K and 128K slower. */
const CHUNK_LENGTH = 16384;

interface Resident {
  readonly length: number;
  /** The base class's slots (exp_avg, exp_avg_sq[, max_exp_avg_sq]) and their resident copies' offsets. */
  readonly slots: readonly Tensor[];
  readonly offsets: readonly number[];
  /** The arrays that the chunk views were cut from: a step that passes other arrays cuts them again. */
  param: Float32Array | null;
  grad: Float32Array | null;
  paramChunks: Float32Array[];
  gradChunks: Float32Array[];
  /** The scratch view as long as the last chunk (copy-out needs equal lengths); re-cut when memory grows. */
  tailScratch: Float32Array;
  /** Kept apart: a detached view reads as empty. */
  readonly tailLength: number;
}

export class SimdMoments {
  private readonly memory: KernelMemory;
  private readonly kernel: AdamKernel;
  /** Keyed by the base class's exp_avg slot; null marks a tensor the memory had no room for. */
  private readonly residents = new Map<Tensor, Resident | null>();
  private scratchParamOffset = 0;
  private scratchGradOffset = 0;
  private scratchParam: Float32Array;
  private scratchGrad: Float32Array;
  private viewsGeneration: number;

  private constructor(memory: KernelMemory, kernel: AdamKernel) {
    this.memory = memory;
    this.kernel = kernel;
    this.allocateScratch();
    this.scratchParam = memory.float32(this.scratchParamOffset, CHUNK_LENGTH);
    this.scratchGrad = memory.float32(this.scratchGradOffset, CHUNK_LENGTH);
    this.viewsGeneration = memory.generation;
  }

  /** Null where the runtime lacks WebAssembly SIMD: Adam then keeps its JS loops. */
  static create(): SimdMoments | null {
    const memory = KernelMemory.create();
    const kernel = memory === null ? null : createAdamKernel(memory);
    return memory === null || kernel === null ? null : new SimdMoments(memory, kernel);
  }

  /**
   * One step of `p` in place; `slots` are the base class's slots of p (the same array every step).
   * Returns false, having changed nothing, when p's moments do not fit in the memory: the caller then
   * updates p with the JS loops from the base class's slots, which remain its state.
   */
  update(p: Float32Array, g: Float32Array, slots: readonly Tensor[], s: AdamStepScalars): boolean {
    let resident = this.residents.get(slots[0]);
    if (resident === undefined) resident = this.admit(slots);
    if (resident === null) return false;
    if (this.viewsGeneration !== this.memory.generation) this.recutViews();
    if (resident.param !== p) {
      resident.paramChunks = chunksOf(p);
      resident.param = p;
    }
    if (resident.grad !== g) {
      resident.gradChunks = chunksOf(g);
      resident.grad = g;
    }
    const m = resident.offsets[0];
    const v = resident.offsets[1];
    const vmax = resident.offsets.length > 2 ? resident.offsets[2] : 0;
    const negStepSize = -s.stepSize;
    const weight = 1 - s.beta1;
    const oneMinusBeta2 = 1 - s.beta2;
    const last = resident.paramChunks.length - 1;
    for (let k = 0; k <= last; k++) {
      const paramChunk = resident.paramChunks[k];
      const at = k * CHUNK_LENGTH * 4;
      this.scratchParam.set(paramChunk);
      this.scratchGrad.set(resident.gradChunks[k]);
      this.kernel(
        this.scratchParamOffset,
        this.scratchGradOffset,
        m + at,
        v + at,
        vmax === 0 ? 0 : vmax + at,
        Math.ceil(paramChunk.length / 4),
        s.decayFactor,
        s.l2,
        weight,
        s.beta2,
        oneMinusBeta2,
        negStepSize,
        s.bc2Sqrt,
        s.eps,
      );
      paramChunk.set(k === last ? resident.tailScratch : this.scratchParam);
    }
    return true;
  }

  /** Copies every resident tensor's moments into the base class's slots. */
  syncSlots(): void {
    for (const resident of this.residents.values()) {
      if (resident !== null) this.copyOut(resident);
    }
  }

  /** Moves one tensor back to the base class's slots (its step is taken by the JS loops from now on). */
  evict(slots: readonly Tensor[]): void {
    const resident = this.residents.get(slots[0]);
    if (resident != null) this.copyOut(resident);
    this.residents.delete(slots[0]);
  }

  /** Forgets every resident tensor (setState has replaced the base class's slots). */
  clear(): void {
    this.residents.clear();
    this.memory.reset();
    this.allocateScratch();
  }

  private admit(slots: readonly Tensor[]): Resident | null {
    const length = slots[0].length;
    const offsets: number[] = [];
    for (let k = 0; k < slots.length; k++) {
      const offset = this.memory.allocateFloat32(length);
      if (offset === null) {
        this.residents.set(slots[0], null);
        return null;
      }
      offsets.push(offset);
    }
    for (let k = 0; k < slots.length; k++) this.memory.float32(offsets[k], length).set(slots[k]);
    const tailLength = length % CHUNK_LENGTH || Math.min(length, CHUNK_LENGTH);
    const resident: Resident = {
      length,
      slots,
      offsets,
      param: null,
      grad: null,
      paramChunks: [],
      gradChunks: [],
      tailScratch: this.memory.float32(this.scratchParamOffset, tailLength),
      tailLength,
    };
    this.residents.set(slots[0], resident);
    return resident;
  }

  private copyOut(resident: Resident): void {
    for (let k = 0; k < resident.slots.length; k++) {
      resident.slots[k].set(this.memory.float32(resident.offsets[k], resident.length));
    }
  }

  private allocateScratch(): void {
    // The memory is empty here, and two chunks fit in its first pages: neither allocation can fail.
    this.scratchParamOffset = this.memory.allocateFloat32(CHUNK_LENGTH) as number;
    this.scratchGradOffset = this.memory.allocateFloat32(CHUNK_LENGTH) as number;
  }

  private recutViews(): void {
    this.scratchParam = this.memory.float32(this.scratchParamOffset, CHUNK_LENGTH);
    this.scratchGrad = this.memory.float32(this.scratchGradOffset, CHUNK_LENGTH);
    for (const resident of this.residents.values()) {
      if (resident !== null) {
        resident.tailScratch = this.memory.float32(this.scratchParamOffset, resident.tailLength);
      }
    }
    this.viewsGeneration = this.memory.generation;
  }
}

/** Views of consecutive CHUNK_LENGTH-element pieces of `a` (the last one shorter); `a` itself if it fits. */
function chunksOf(a: Float32Array): Float32Array[] {
  if (a.length <= CHUNK_LENGTH) return [a];
  const chunks: Float32Array[] = [];
  for (let start = 0; start < a.length; start += CHUNK_LENGTH) chunks.push(a.subarray(start, start + CHUNK_LENGTH));
  return chunks;
}
