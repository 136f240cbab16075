// Where the runtime has no WebAssembly (or no SIMD), Adam keeps its JS loops, whatever simdMinLength says.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../math/rng.js';
import { Adam } from './adam.js';

function stepOnce(simdMinLength: number, p0: Float32Array, g: Float32Array): Uint8Array {
  const p = Float32Array.from(p0);
  new Adam({ type: 'adam', lr: 1e-2 }, { simdMinLength }).step({ w: p }, { w: g });
  return new Uint8Array(p.buffer);
}

describe('Adam without WebAssembly', () => {
  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it('takes the JS loops for every tensor, with their results bit for bit', () => {
    const rng = new Rng(3);
    const p0 = new Float32Array(5000);
    const g = new Float32Array(5000);
    for (let i = 0; i < p0.length; i++) {
      p0[i] = rng.uniformRange(-1, 1);
      g[i] = rng.uniformRange(-0.1, 0.1);
    }
    const js = stepOnce(Infinity, p0, g);
    // With WebAssembly the kernel's float32 arithmetic gives other last bits somewhere among 5000 elements.
    expect(Buffer.compare(stepOnce(0, p0, g), js)).not.toBe(0);
    vi.stubGlobal('WebAssembly', undefined);
    expect(Buffer.compare(stepOnce(0, p0, g), js)).toBe(0);
  });
});
