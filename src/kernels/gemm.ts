/**
 * The WebAssembly SIMD path of the dense-layer products (src/math/gemm.ts): C[i,j] = Σ_p A(i,p)·B(p,j)
 * + bias[j] with A(i,p) = a[i·aRow + p·aCol] and B(p,j) = b[p·bRow + j·bCol], as the JS kernel
 * (src/math/gemm-tiles.ts) computes it and bit-identical to it (gemm.wat says why).
 *
 * Per product: copy a and b into kernel memory (TypedArray.set, a memcpy), pack them there into f64
 * strips of A and panels of B (gemm.wat), run the 4×4-tile kernel, copy C back out. The copies and
 * packs are O(m·k + n·k + m·n) against the kernel's O(m·n·k); src/math/gemm.ts only sends products
 * large enough for that to pay.
 *
 * One instance per process (the kernel memory is scratch, reused by every product); nothing allocates
 * per product except when the memory grows or a product has an output size not seen before.
 */
import type { Tensor } from '../math/tensor.js';
import { bytes } from './generated/gemm-wasm.js';
import { KernelMemory } from './kernel-memory.js';
import { compileKernel, instantiateKernel } from './wasm.js';

type Pack = (src: number, rowStride: number, colStride: number, rows: number, k: number, dst: number) => void;
type Product = (pa: number, pb: number, m: number, n: number, k: number, bias: number, c: number, f32: number) => void;

/** Elements of a packed operand with `rows` rows: whole strips of 4 (zero-padded), k each. */
function packedLength(rows: number, k: number): number {
  return 4 * Math.ceil(rows / 4) * k;
}

export class WasmGemm {
  private f32: Float32Array;
  private f64: Float64Array;
  private generation: number;
  /**
   * Views of C's first m·n elements, by length: C is allocated first after every reset, so its offset
   * never changes and a view stays valid until the memory grows.
   */
  private readonly outputs32 = new Map<number, Float32Array>();
  private readonly outputs64 = new Map<number, Float64Array>();

  private constructor(
    private readonly memory: KernelMemory,
    private readonly packF32: Pack,
    private readonly packF64: Pack,
    private readonly kernel: Product,
  ) {
    this.generation = memory.generation;
    this.f32 = new Float32Array(memory.memory.buffer);
    this.f64 = new Float64Array(memory.memory.buffer);
  }

  /** Null where the runtime lacks WebAssembly SIMD: callers keep the JS kernel. */
  static create(): WasmGemm | null {
    const module = compileKernel(bytes);
    const memory = module === null ? null : KernelMemory.create();
    if (module === null || memory === null) return null;
    const exports = instantiateKernel(module, memory.memory);
    return new WasmGemm(memory, exports.packF32 as Pack, exports.packF64 as Pack, exports.product as Product);
  }

  /**
   * Overwrites c's first m·n elements (rounded to c's dtype) as described above; bias null adds 0, like
   * the JS kernel. Returns false, touching nothing, when the kernel memory cannot grow to the operands.
   */
  product(
    m: number,
    n: number,
    k: number,
    a: Tensor,
    aRow: number,
    aCol: number,
    b: Tensor,
    bRow: number,
    bCol: number,
    bias: Tensor | null,
    c: Tensor,
  ): boolean {
    const memory = this.memory;
    const cIsF32 = c instanceof Float32Array;
    memory.reset();
    // Sizes in float32 units (the allocator's), each region 16-byte aligned.
    const cOffset = memory.allocateFloat32(cIsF32 ? m * n : 2 * m * n);
    const aOffset = memory.allocateFloat32(a instanceof Float32Array ? a.length : 2 * a.length);
    const bOffset = memory.allocateFloat32(b instanceof Float32Array ? b.length : 2 * b.length);
    const paOffset = memory.allocateFloat32(2 * packedLength(m, k));
    const pbOffset = memory.allocateFloat32(2 * packedLength(n, k));
    const biasOffset = memory.allocateFloat32(2 * packedLength(n, 1));
    if (cOffset === null || aOffset === null || bOffset === null || paOffset === null || pbOffset === null || biasOffset === null) {
      return false;
    }
    if (memory.generation !== this.generation) this.cutViews();
    this.copyIn(a, aOffset);
    this.copyIn(b, bOffset);
    const f64 = this.f64;
    const biasAt = biasOffset >> 3;
    const padded = packedLength(n, 1);
    // Zeros up to whole panels, and for no bias (the JS kernel adds 0 too).
    for (let j = 0; j < padded; j++) f64[biasAt + j] = bias !== null && j < n ? bias[j] : 0;
    // A's rows are C's rows; B's columns are C's columns, packed as the rows of Bᵀ.
    if (a instanceof Float32Array) this.packF32(aOffset, aRow, aCol, m, k, paOffset);
    else this.packF64(aOffset, aRow, aCol, m, k, paOffset);
    if (b instanceof Float32Array) this.packF32(bOffset, bCol, bRow, n, k, pbOffset);
    else this.packF64(bOffset, bCol, bRow, n, k, pbOffset);
    this.kernel(paOffset, pbOffset, m, n, k, biasOffset, cOffset, cIsF32 ? 1 : 0);
    if (cIsF32) c.set(this.output32(cOffset, m * n));
    else c.set(this.output64(cOffset, m * n));
    return true;
  }

  private copyIn(src: Tensor, offset: number): void {
    if (src instanceof Float32Array) this.f32.set(src, offset >> 2);
    else this.f64.set(src, offset >> 3);
  }

  private output32(offset: number, length: number): Float32Array {
    let view = this.outputs32.get(length);
    if (view === undefined) {
      view = new Float32Array(this.memory.memory.buffer, offset, length);
      this.outputs32.set(length, view);
    }
    return view;
  }

  private output64(offset: number, length: number): Float64Array {
    let view = this.outputs64.get(length);
    if (view === undefined) {
      view = new Float64Array(this.memory.memory.buffer, offset, length);
      this.outputs64.set(length, view);
    }
    return view;
  }

  /** A grown memory has a new ArrayBuffer and the old views are detached. */
  private cutViews(): void {
    const buffer = this.memory.memory.buffer;
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.outputs32.clear();
    this.outputs64.clear();
    this.generation = this.memory.generation;
  }
}
