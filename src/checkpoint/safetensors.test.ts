import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors.js';

/** A file assembled by hand: header length, header text, data bytes. */
function handMade(header: string, data: number[] = []): Uint8Array {
  const json = Buffer.from(header, 'utf8');
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  Buffer.from(data).copy(out, 8 + json.length);
  return out;
}

describe('encodeSafetensors', () => {
  it('writes the header length, a space-padded JSON header and little-endian data', () => {
    const bytes = encodeSafetensors({ a: { shape: [2], data: new Float32Array([1, -2]) } });
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    // 8 + 54 header bytes round up to 64: 2 bytes of padding.
    expect(header.length).toBe(54);
    const expected = handMade(`${header}  `, [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]); // 1.0f, -2.0f
    expect(Buffer.from(bytes).equals(Buffer.from(expected))).toBe(true);
  });

  it('lays tensors out in the order given, with string metadata', () => {
    const bytes = encodeSafetensors(
      { w: { shape: [2, 1], data: new Float64Array([0.1, 0.2]) }, b: { shape: [1], data: new Float32Array([3]) } },
      { step: '7' },
    );
    const headerLength = Number(Buffer.from(bytes).readBigUInt64LE(0));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
    expect(header).toEqual({
      __metadata__: { step: '7' },
      w: { dtype: 'F64', shape: [2, 1], data_offsets: [0, 16] },
      b: { dtype: 'F32', shape: [1], data_offsets: [16, 20] },
    });
    expect(bytes.length).toBe(8 + headerLength + 20);
  });

  it('refuses a shape that disagrees with the data, a tensor named __metadata__, and non-string metadata', () => {
    expect(() => encodeSafetensors({ a: { shape: [3], data: new Float32Array(2) } })).toThrow(/holds 3 elements, data has 2/);
    expect(() => encodeSafetensors({ __metadata__: { shape: [1], data: new Float32Array(1) } })).toThrow(SafetensorsError);
    expect(() => encodeSafetensors({}, { step: 7 as unknown as string })).toThrow(/values must be strings/);
  });
});

describe('decodeSafetensors', () => {
  it('round-trips F32 and F64 tensors exactly, scalars and empty tensors included, with metadata', () => {
    const w = new Float32Array([0.1, -3.5e-12, 1e30, Number.NaN, Number.POSITIVE_INFINITY, -0]);
    const v = new Float64Array([Math.PI, Number.MIN_VALUE, -Number.MAX_VALUE]);
    const bytes = encodeSafetensors(
      { w: { shape: [2, 3], data: w }, v: { shape: [3], data: v }, s: { shape: [], data: new Float64Array([42]) }, e: { shape: [0, 4], data: new Float32Array(0) } },
      JSON.parse('{"model": "{\\"type\\":\\"mlp\\"}", "__proto__": "an ordinary key"}') as Record<string, string>,
    );
    const file = decodeSafetensors(bytes);
    expect([...file.tensors.keys()]).toEqual(['w', 'v', 's', 'e']);
    expect(file.tensors.get('w')?.shape).toEqual([2, 3]);
    expect(Object.is(file.tensors.get('w')?.data[5], -0)).toBe(true);
    expect(Array.from(file.tensors.get('w')?.data ?? [])).toEqual(Array.from(w));
    expect(file.tensors.get('v')?.data).toEqual(v);
    expect(file.tensors.get('s')).toEqual({ shape: [], data: new Float64Array([42]) });
    expect(file.tensors.get('e')?.data.length).toBe(0);
    expect(file.metadata.model).toBe('{"type":"mlp"}');
    expect(Object.hasOwn(file.metadata, '__proto__') && file.metadata['__proto__']).toBe('an ordinary key');
  });

  it('reads a file whose tensors are listed out of data order and returns them in data order', () => {
    const header = '{"late":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"early":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    const file = decodeSafetensors(handMade(header, [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40])); // 1.0f, 2.0f
    expect([...file.tensors.entries()].map(([name, t]) => [name, t.data[0]])).toEqual([
      ['early', 1],
      ['late', 2],
    ]);
  });

  it('refuses malformed files with a message that names the problem', () => {
    const f32 = (offsets: string, shape = '[1]') => `{"t":{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}}`;
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(4), /too short/],
      [handMade('{}').subarray(0, 9), /header length 2 exceeds/],
      [handMade('[1]'), /starting with "{"/],
      [handMade('{"t": '), /not valid UTF-8 JSON/],
      [handMade('{"t":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}', [0, 0]), /dtype "BF16" is not supported/],
      [handMade(f32('[0,4]', '[-1]'), [0, 0, 0, 0]), /shape must be an array of integers/],
      [handMade(f32('[0,8]'), new Array(8).fill(0)), /needs 4 bytes, data_offsets span 8/],
      [handMade(f32('[4,8]'), new Array(8).fill(0)), /starts at 4, expected 0/],
      [handMade(f32('[0,4]'), new Array(6).fill(0)), /cover 4 bytes of data, the file has 6/],
      [handMade('{"__metadata__":{"step":7}}'), /values must be strings/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeSafetensors(bytes)).toThrow(message);
    }
  });
});

/** Python with the safetensors package: PYTHON, else the project's virtualenv. */
function findPython(): { python: string } | { reason: string } {
  const python = process.env.PYTHON ?? '/work/venv/bin/python';
  if (process.env.PYTHON === undefined && !existsSync(python)) return { reason: `no PYTHON set and ${python} does not exist` };
  const probe = spawnSync(python, ['-c', 'import safetensors.numpy, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return { reason: `${python} cannot import safetensors and numpy: ${(probe.stderr || String(probe.error)).trim()}` };
  return { python };
}

const found = findPython();
if ('reason' in found) console.warn(`[safetensors] Python interop test skipped: ${found.reason}`);

describe.skipIf('reason' in found)('safetensors interop with the Python safetensors package', () => {
  const python = 'python' in found ? found.python : '';
  const dir = mkdtempSync(join(tmpdir(), 'safetensors-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const runPython = (script: string, ...args: string[]): string => {
    const result = spawnSync(python, ['-c', script, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
    return result.stdout;
  };

  it('Python loads what we write: dtypes, shapes, exact values and metadata', () => {
    const path = join(dir, 'ours.safetensors');
    const weight = new Float32Array([0.1, 0.2, 0.3, -1e-7, 65504, 3.4e38]);
    const bias = new Float64Array([Math.E, -1 / 3]);
    writeFileSync(path, encodeSafetensors({ 'dense0.weight': { shape: [3, 2], data: weight }, 'dense0.bias': { shape: [2], data: bias } }, { step: '12' }));
    const out = JSON.parse(
      runPython(
        [
          'import json, sys',
          'from safetensors import safe_open',
          'from safetensors.numpy import load_file',
          't = load_file(sys.argv[1])',
          'meta = safe_open(sys.argv[1], framework="numpy").metadata()',
          // float() of a float32 element is the exact double, so the comparison below is exact.
          'print(json.dumps({k: {"dtype": str(v.dtype), "shape": list(v.shape), "values": [float(x) for x in v.ravel()]} for k, v in t.items()} | {"meta": meta}))',
        ].join('\n'),
        path,
      ),
    );
    expect(out['dense0.weight']).toEqual({ dtype: 'float32', shape: [3, 2], values: Array.from(weight) });
    expect(out['dense0.bias']).toEqual({ dtype: 'float64', shape: [2], values: Array.from(bias) });
    expect(out.meta).toEqual({ step: '12' });
  });

  it('we read what Python writes', () => {
    const path = join(dir, 'theirs.safetensors');
    runPython(
      [
        'import sys, numpy as np',
        'from safetensors.numpy import save_file',
        'save_file({"a": np.arange(6, dtype=np.float32).reshape(2, 3) / 7, "b": np.array([0.1, -2.5]), "c": np.array(9.0)}, sys.argv[1], metadata={"note": "from python"})',
      ].join('\n'),
      path,
    );
    const file = decodeSafetensors(readFileSync(path));
    // numpy computes arange/7 in float32: Math.fround of each float32 quotient.
    expect(file.tensors.get('a')).toEqual({ shape: [2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5].map((i) => Math.fround(Math.fround(i) / 7))) });
    expect(file.tensors.get('b')).toEqual({ shape: [2], data: new Float64Array([0.1, -2.5]) });
    expect(file.tensors.get('c')).toEqual({ shape: [], data: new Float64Array([9]) });
    expect(file.metadata).toEqual({ note: 'from python' });
  });
});
