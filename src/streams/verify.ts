/**
 * Checks a stream against streams/manifest.json: the generator still produces the recorded bytes, the
 * committed file (decompressed) holds exactly those bytes, and the entry's metadata matches the catalogue.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { ConfigError } from '../errors.js';
import { getStream } from './catalogue.js';
import { hashStream, StreamHasher, type StreamDigest } from './checksum.js';
import {
  GENERATED,
  MANIFEST_FILE,
  manifestEntry,
  readManifest,
  streamsDir,
  type ManifestEntry,
} from './manifest.js';

export interface VerifyStreamOptions {
  /** The streams/ directory holding manifest.json and the files; defaults to the shipped one. */
  readonly dir?: string;
  /**
   * For generated streams, check only the manifest's prefix digest instead of regenerating every
   * record (the full `large` stream takes seconds).
   */
  readonly prefixOnly?: boolean;
}

export interface StreamVerification {
  readonly name: string;
  readonly ok: boolean;
  /** Digest of the generator output that was compared (the prefix when `prefixOnly`). */
  readonly generated: StreamDigest;
  /** Digest of the decompressed committed file; null for generated streams. */
  readonly file: StreamDigest | null;
  /** Empty when ok; otherwise one sentence per mismatch. */
  readonly problems: readonly string[];
}

export async function verifyStream(name: string, options: VerifyStreamOptions = {}): Promise<StreamVerification> {
  const dir = options.dir ?? streamsDir();
  const { info } = getStream(name);
  const entry = (await readManifest(dir)).streams.find((candidate) => candidate.name === name);
  if (entry === undefined) {
    throw new ConfigError(`${join(dir, MANIFEST_FILE)}: no entry for stream ${JSON.stringify(name)}`);
  }
  const problems: string[] = [];

  const prefix = options.prefixOnly === true && entry.file === GENERATED ? entry.prefix : undefined;
  const expected = prefix ?? entry;
  const generated = hashStream(name, { seed: entry.seed, records: expected.records });
  compare(problems, 'generator output', generated, expected);

  let file: StreamDigest | null = null;
  if (entry.file !== GENERATED) {
    file = await hashFile(join(dir, entry.file));
    compare(problems, `file ${entry.file}`, file, entry);
  }

  const fromCatalogue = manifestEntry(info, entry, entry.prefix);
  if (JSON.stringify(fromCatalogue) !== JSON.stringify(entry)) {
    problems.push('manifest metadata differs from the catalogue: regenerate with scripts/make-streams.mjs');
  }
  return { name, ok: problems.length === 0, generated, file, problems };
}

/** Digest of a .jsonl or .jsonl.gz file's uncompressed bytes. */
export async function hashFile(path: string): Promise<StreamDigest> {
  const hasher = new StreamHasher();
  const raw = createReadStream(path);
  const bytes = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (err) => bytes.destroy(err));
  for await (const chunk of bytes) hasher.update(chunk as Buffer);
  return hasher.digest();
}

function compare(
  problems: string[],
  what: string,
  actual: StreamDigest,
  expected: Pick<ManifestEntry, 'sha256' | 'records'>,
): void {
  if (actual.records !== expected.records) {
    problems.push(`${what}: ${actual.records} records, manifest says ${expected.records}`);
  }
  if (actual.sha256 !== expected.sha256) {
    problems.push(`${what}: sha256 ${actual.sha256}, manifest says ${expected.sha256}`);
  }
}
