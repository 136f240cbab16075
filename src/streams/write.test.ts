import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { formatRecord } from './canonical.js';
import { streamRecords } from './catalogue.js';
import { hashStream } from './checksum.js';
import { writeStream } from './write.js';

describe('writeStream', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streams-write-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes plain JSONL: the canonical lines, and returns their digest', async () => {
    const out = join(dir, 's.jsonl');
    const digest = await writeStream('statsville', { out, seed: 3, records: 250 });
    const expected = Array.from(streamRecords('statsville', { seed: 3, records: 250 }), formatRecord).join('');
    expect(await readFile(out, 'utf8')).toBe(expected);
    expect(digest).toEqual(hashStream('statsville', { seed: 3, records: 250 }));
    expect(digest.records).toBe(250);
    expect(digest.bytes).toBe(Buffer.byteLength(expected));
  });

  it('gzips when the name ends in .gz, and the digest is of the uncompressed bytes', async () => {
    const out = join(dir, 'r.jsonl.gz');
    // More than one 64 KiB chunk, so chunk boundaries are crossed.
    const digest = await writeStream('regression', { out, records: 3000 });
    const compressed = await readFile(out);
    expect([compressed[0], compressed[1]]).toEqual([0x1f, 0x8b]);
    const text = gunzipSync(compressed).toString('utf8');
    expect(text).toBe(Array.from(streamRecords('regression', { records: 3000 }), formatRecord).join(''));
    expect(digest).toEqual(hashStream('regression', { records: 3000 }));
  });

  it('writes an empty file for zero records', async () => {
    const out = join(dir, 'empty.jsonl');
    expect((await writeStream('drift', { out, records: 0 })).records).toBe(0);
    expect(await readFile(out, 'utf8')).toBe('');
  });

  it('refuses an unknown stream or bad option before creating the file', async () => {
    const out = join(dir, 'never.jsonl');
    await expect(writeStream('nope', { out })).rejects.toThrow(ConfigError);
    await expect(writeStream('drift', { out, seed: -1 })).rejects.toThrow(/seed/);
    expect(existsSync(out)).toBe(false);
  });
});
