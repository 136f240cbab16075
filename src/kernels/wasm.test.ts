import { describe, expect, it } from 'vitest';
import { bytes as adamBytes } from './generated/adam-wasm.js';
import { compileKernel } from './wasm.js';

describe('compileKernel', () => {
  it('compiles a kernel module once per process', () => {
    const module = compileKernel(adamBytes);
    expect(module).not.toBeNull();
    expect(compileKernel(adamBytes)).toBe(module);
  });

  it('returns null for a module this runtime does not validate (what a runtime without SIMD does)', () => {
    // The magic number and version, then a section id (0x7f) that no WebAssembly version defines.
    expect(compileKernel(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x7f]))).toBeNull();
  });
});
