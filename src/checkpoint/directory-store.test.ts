import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import { captureLearnerState } from './capture.js';
import { DirectoryCheckpointStore } from './directory-store.js';
import { CheckpointCorruptError } from './errors.js';
import type { Checkpoint } from './types.js';

const config: LearnerConfig = {
  schema: { features: 2, task: 'regression' },
  model: { type: 'linear' },
  loss: { type: 'mse' },
  optimizer: { type: 'adam', lr: 0.1 },
  batchSize: 1,
  maxWaitMs: Infinity,
  shuffleBuffer: 1,
  standardize: false,
  seed: 0,
};

const root = mkdtempSync(join(tmpdir(), 'ol-ckpt-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `d${dirs++}`);

/** Checkpoints told apart by their position. */
function checkpointAt(nextIndex: number): Checkpoint {
  return captureLearnerState(new Learner(config), { kind: 'memory', nextIndex });
}

const positionOf = (loaded: { checkpoint: Checkpoint } | null) => loaded?.checkpoint.position;

describe('DirectoryCheckpointStore', () => {
  it('saves durable numbered files, loads the newest, and keeps only the last K', async () => {
    const dir = freshDir();
    const store = await DirectoryCheckpointStore.open({ dir, keep: 2 });
    expect(await store.latest()).toBe(null);
    const checkpoints = [1, 2, 3, 4].map(checkpointAt);
    const saved = [];
    for (const checkpoint of checkpoints) saved.push(await store.save(checkpoint));
    expect(saved.map((s) => s.id)).toEqual([1, 2, 3, 4].map((i) => `checkpoint-00000000000${i}.safetensors`));
    expect(saved[3].bytes).toBe(readFileSync(join(dir, saved[3].id)).length);
    expect(readdirSync(dir).sort()).toEqual(['checkpoint-000000000003.safetensors', 'checkpoint-000000000004.safetensors']);
    const latest = await store.latest();
    expect(latest?.id).toBe('checkpoint-000000000004.safetensors');
    expect(latest?.warnings).toEqual([]);
    expect(latest?.checkpoint).toEqual(checkpoints[3]);
    await store.close();
  });

  it('runs saves one at a time in call order, and a reopened store continues the numbering', async () => {
    const dir = freshDir();
    const store = await DirectoryCheckpointStore.open({ dir, keep: 5 });
    const ids = await Promise.all([1, 2, 3].map((i) => store.save(checkpointAt(i)).then((s) => s.id)));
    expect(ids).toEqual(['checkpoint-000000000001.safetensors', 'checkpoint-000000000002.safetensors', 'checkpoint-000000000003.safetensors']);
    const reopened = await DirectoryCheckpointStore.open({ dir, keep: 5 });
    expect((await reopened.save(checkpointAt(9))).id).toBe('checkpoint-000000000004.safetensors');
    expect(positionOf(await reopened.latest())).toEqual({ kind: 'memory', nextIndex: 9 });
  });

  it('removes the temporary file a crashed write left behind', async () => {
    const dir = freshDir();
    await (await DirectoryCheckpointStore.open({ dir })).save(checkpointAt(1));
    writeFileSync(join(dir, '.checkpoint-000000000002.safetensors.4242.tmp'), 'half a checkpoint');
    const store = await DirectoryCheckpointStore.open({ dir });
    expect(readdirSync(dir)).toEqual(['checkpoint-000000000001.safetensors']);
    expect(positionOf(await store.latest())).toEqual({ kind: 'memory', nextIndex: 1 });
  });

  const damages: Array<[string, (path: string) => void, RegExp]> = [
    ['truncated', (path) => truncateSync(path, 100), /not a readable safetensors file/],
    ['a flipped data byte', (path) => {
      const bytes = readFileSync(path);
      bytes[bytes.length - 3] ^= 0x10;
      writeFileSync(path, bytes);
    }, /checksum mismatch/],
    ['not a checkpoint at all', (path) => writeFileSync(path, '{"features": [1, 2]}\n'), /not a readable safetensors file/],
  ];
  for (const [damage, apply, reason] of damages) {
    it(`falls back past a newest checkpoint that is ${damage}, and says so`, async () => {
      const dir = freshDir();
      const told: string[] = [];
      const store = await DirectoryCheckpointStore.open({ dir, warn: (m) => told.push(m) });
      await store.save(checkpointAt(1));
      await store.save(checkpointAt(2));
      apply(join(dir, 'checkpoint-000000000002.safetensors'));
      const latest = await store.latest();
      expect(latest?.id).toBe('checkpoint-000000000001.safetensors');
      expect(positionOf(latest)).toEqual({ kind: 'memory', nextIndex: 1 });
      expect(latest?.warnings).toHaveLength(1);
      expect(latest?.warnings[0]).toMatch(/checkpoint .*checkpoint-000000000002\.safetensors is unreadable \(.*\); falling back to the previous one/);
      expect(latest?.warnings[0]).toMatch(reason);
      expect(told).toEqual(latest?.warnings);
    });
  }

  it('refuses to start over silently when no checkpoint is readable', async () => {
    const dir = freshDir();
    const store = await DirectoryCheckpointStore.open({ dir });
    await store.save(checkpointAt(1));
    truncateSync(join(dir, 'checkpoint-000000000001.safetensors'), 10);
    await expect(store.latest()).rejects.toThrow(CheckpointCorruptError);
    await expect(store.latest()).rejects.toThrow(/none of the 1 checkpoints in .* is readable.*Move the directory away/);
  });

  it('rejects keep < 1, naming the field', async () => {
    await expect(DirectoryCheckpointStore.open({ dir: freshDir(), keep: 0 })).rejects.toThrow('checkpoint.keep: 0 is invalid: must be an integer >= 1');
  });
});
