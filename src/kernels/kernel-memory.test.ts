import { describe, expect, it } from 'vitest';
import { KernelMemory } from './kernel-memory.js';

function memory(): KernelMemory {
  const created = KernelMemory.create();
  if (created === null) throw new Error('this runtime has no WebAssembly');
  return created;
}

describe('KernelMemory', () => {
  it('hands out 16-byte aligned arrays padded to whole f32x4 vectors, never at offset 0', () => {
    const mem = memory();
    // 5 floats round up to 2 vectors (32 bytes); the first array starts after the reserved vector at 0.
    expect([mem.allocateFloat32(5), mem.allocateFloat32(1), mem.allocateFloat32(8)]).toEqual([16, 48, 64]);
  });

  it('grows as needed, and views cut again after a grow see the data written before it', () => {
    const mem = memory();
    const first = mem.allocateFloat32(4) as number;
    mem.float32(first, 4).set([1, 2, 3, 4]);
    const before = mem.generation;
    const big = mem.allocateFloat32(100_000) as number;
    expect(mem.generation).not.toBe(before);
    expect(mem.memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 400_000);
    expect(Array.from(mem.float32(first, 4))).toEqual([1, 2, 3, 4]);
  });

  it('keeps its generation while allocations fit in the pages it has', () => {
    const mem = memory();
    const generation = mem.generation;
    mem.allocateFloat32(1000);
    expect(mem.generation).toBe(generation);
  });

  it('reset hands the same offsets out again', () => {
    const mem = memory();
    const offsets = [mem.allocateFloat32(3), mem.allocateFloat32(70_000)];
    mem.reset();
    expect([mem.allocateFloat32(3), mem.allocateFloat32(70_000)]).toEqual(offsets);
  });

  it('returns null, not a throw, for more than wasm32 can address (4 GiB)', () => {
    const mem = memory();
    expect(mem.allocateFloat32(2 ** 30)).toBeNull();
    // A failed allocation takes nothing: the next one starts where the failed one would have.
    expect(mem.allocateFloat32(4)).toBe(16);
  });
});
