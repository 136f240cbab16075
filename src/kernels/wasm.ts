/**
 * Loads the WebAssembly kernels (src/kernels/*.wat, embedded by build.mjs) synchronously: the modules are
 * a few hundred bytes, so `new WebAssembly.Module` on the calling thread costs microseconds, and the
 * synchronous optimizer API needs no promise. Each module is compiled once per process and instantiated
 * against a caller's memory (kernel-memory.ts), which every kernel imports as `env.memory`.
 *
 * Where WebAssembly or its SIMD instructions are missing (an old or restricted runtime), `compileKernel`
 * returns null and callers keep their JS loops: validate() rejects a module with unknown instructions.
 */

/** The part of the WebAssembly JS API used here (the project's lib has no DOM types, which declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => KernelModule;
  Instance: new (module: KernelModule, imports: { env: { memory: WasmMemory } }) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

/** A compiled kernel module (WebAssembly.Module). */
export type KernelModule = object;

export interface WasmMemory {
  /** Replaced (and the previous one detached) by every grow. */
  readonly buffer: ArrayBuffer;
  /** Adds `pages` of 64 KiB; returns the previous size in pages. */
  grow(pages: number): number;
}

export const WASM_PAGE_BYTES = 65536;

const compiled = new Map<Uint8Array, KernelModule | null>();

function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

/** The compiled module, or null when this runtime cannot run it (no WebAssembly, or no SIMD). */
export function compileKernel(bytes: Uint8Array): KernelModule | null {
  let module = compiled.get(bytes);
  if (module === undefined) {
    const api = webAssembly();
    module = api !== undefined && api.validate(bytes) ? new api.Module(bytes) : null;
    compiled.set(bytes, module);
  }
  return module;
}

export function createWasmMemory(pages: number): WasmMemory | null {
  const api = webAssembly();
  return api === undefined ? null : new api.Memory({ initial: pages });
}

/** The instance's exports; the module's only import is `env.memory`. */
export function instantiateKernel(module: KernelModule, memory: WasmMemory): Record<string, unknown> {
  const api = webAssembly() as WebAssemblyApi;
  return new api.Instance(module, { env: { memory } }).exports;
}
