/**
 * A checkpoint opens in Python with nothing but safetensors + numpy: every tensor has the values and
 * dtype we hold, the parameters have torch.nn.Linear shapes, the meta is plain JSON, and the stored
 * sha256 is reproducible from the file (sha256 of format "\n" meta "\n" data bytes).
 *
 * Skipped, saying why, when no Python with safetensors is found: PYTHON, else /work/venv/bin/python.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concat, from, NEVER } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLearnerState } from '../../src/checkpoint/capture.js';
import { encodeCheckpoint } from '../../src/checkpoint/codec.js';
import { Rng } from '../../src/math/rng.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';

function findPython(): { python: string } | { reason: string } {
  const python = process.env.PYTHON ?? '/work/venv/bin/python';
  if (process.env.PYTHON === undefined && !existsSync(python)) return { reason: `no PYTHON set and ${python} does not exist` };
  const probe = spawnSync(python, ['-c', 'import safetensors.numpy, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return { reason: `${python} cannot import safetensors and numpy: ${(probe.stderr || probe.error?.message || `exit status ${probe.status}`).trim()}` };
  return { python };
}

const found = findPython();
if ('reason' in found) console.warn(`[checkpoint] Python interop test skipped: ${found.reason}`);

const SCRIPT = `
import hashlib, json, sys
from safetensors import safe_open
from safetensors.numpy import load_file
path = sys.argv[1]
tensors = load_file(path)
meta = safe_open(path, framework="numpy").metadata()
raw = open(path, "rb").read()
data = raw[8 + int.from_bytes(raw[:8], "little"):]
digest = hashlib.sha256(meta["format"].encode() + b"\\n" + meta["meta"].encode() + b"\\n" + data).hexdigest()
print(json.dumps({
    "tensors": {k: {"dtype": str(v.dtype), "shape": list(v.shape), "values": [float(x) for x in v.ravel()]} for k, v in tensors.items()},
    "format": meta["format"],
    "meta": json.loads(meta["meta"]),
    "sha256_matches": digest == meta["sha256"],
}))
`;

const config: LearnerConfig = {
  schema: { features: ['h', 'w'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
  model: { type: 'mlp', hidden: [4], dropout: 0.1 },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'rmsprop', lr: 0.01, centered: true },
  batchSize: 3,
  maxWaitMs: Infinity,
  shuffleBuffer: 5,
  standardize: true,
  seed: 8,
};

describe.skipIf('reason' in found)('checkpoint interop with Python safetensors + numpy', () => {
  const python = 'python' in found ? found.python : '';
  const dir = mkdtempSync(join(tmpdir(), 'ol-ckpt-py-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Python reads every tensor exactly, the JSON meta, and reproduces the checksum', () => {
    const rng = new Rng(1);
    const learner = new Learner(config);
    const records = Array.from({ length: 20 }, (_, index) => ({
      value: JSON.stringify({ features: { h: 100 + 80 * rng.uniform(), w: 20 + 60 * rng.uniform() }, label: ['man', 'woman', 'child'][index % 3] }),
      origin: { kind: 'memory' as const, index },
    }));
    learner.run(concat(from(records), NEVER)).subscribe().unsubscribe();
    const checkpoint = captureLearnerState(learner, { kind: 'memory', nextIndex: 20 });
    const path = join(dir, 'checkpoint.safetensors');
    writeFileSync(path, encodeCheckpoint(checkpoint));

    const result = spawnSync(python, ['-c', SCRIPT, path], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.sha256_matches).toBe(true);
    expect(out.format).toBe('online-learner/checkpoint@1');
    expect(out.meta.optimizer).toEqual({ type: 'rmsprop', step: 5, slots: Object.keys(checkpoint.optimizer.slots) });
    expect(out.meta.counters.samplesTrained).toBe(15);

    // float() of a float32 element is its exact double, so these comparisons are exact.
    const expected: Record<string, { dtype: string; shape: number[]; values: number[] }> = {};
    for (const [name, t] of Object.entries(checkpoint.parameters)) expected[name] = { dtype: 'float32', shape: [...t.shape], values: Array.from(t.data) };
    for (const [key, t] of Object.entries(checkpoint.optimizer.slots)) {
      expected[`optimizer/${key}`] = { dtype: 'float32', shape: [...checkpoint.parameters[key.slice(0, key.lastIndexOf('/'))].shape], values: Array.from(t) };
    }
    expected['standardizer/mean'] = { dtype: 'float64', shape: [2], values: Array.from(checkpoint.standardizer!.mean) };
    expected['standardizer/m2'] = { dtype: 'float64', shape: [2], values: Array.from(checkpoint.standardizer!.m2) };
    expected['residents/x'] = { dtype: 'float32', shape: [5, 2], values: checkpoint.residents.flatMap((r) => Array.from(r.x)) };
    expect(out.tensors).toEqual(expected);
    expect(out.tensors['dense0.weight'].shape).toEqual([4, 2]);
    expect(out.tensors['optimizer/dense1.weight/grad_avg'].shape).toEqual([3, 4]);
  });
});
