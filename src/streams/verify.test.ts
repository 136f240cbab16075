import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, streamsDir } from './manifest.js';
import { verifyStream } from './verify.js';
import { writeStream } from './write.js';

describe('verifyStream', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streams-verify-'));
    await copyFile(join(streamsDir(), MANIFEST_FILE), join(dir, MANIFEST_FILE));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function editManifest(edit: (manifest: { streams: Record<string, unknown>[] }) => void): Promise<void> {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as { streams: Record<string, unknown>[] };
    edit(manifest);
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  }

  it('reports a file written with another seed', async () => {
    await writeStream('drift', { out: join(dir, 'drift.jsonl.gz'), seed: 99 });
    const result = await verifyStream('drift', { dir });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/^file drift.jsonl.gz: sha256 [0-9a-f]{64}, manifest says/)]);
  });

  it('reports a truncated file by its record count', async () => {
    await writeStream('drift', { out: join(dir, 'drift.jsonl.gz'), records: 9000 });
    const result = await verifyStream('drift', { dir });
    expect(result.problems[0]).toBe('file drift.jsonl.gz: 9000 records, manifest says 10000');
  });

  it('reports a generator whose output no longer matches, and stale metadata', async () => {
    await writeStream('drift', { out: join(dir, 'drift.jsonl.gz') });
    await editManifest((manifest) => {
      const entry = manifest.streams.find((s) => s.name === 'drift') ?? {};
      entry.sha256 = '0'.repeat(64);
      entry.description = 'edited by hand';
    });
    const result = await verifyStream('drift', { dir });
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toMatch(/^generator output: sha256 /);
    expect(result.problems[1]).toMatch(/^file drift.jsonl.gz: sha256 /);
    expect(result.problems[2]).toMatch(/manifest metadata differs from the catalogue/);
  });
});
