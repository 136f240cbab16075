/**
 * streams/manifest.json: what was shipped, how it was made and its checksum. Entries are derived from
 * the catalogue by `manifestEntry`, so the manifest and the generators cannot silently disagree (a
 * test compares them).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import type { StreamDigest } from './checksum.js';
import type { FeatureFormat, LabelFormat, RecommendedConfig, StreamInfo, StreamTask } from './types.js';

export const MANIFEST_FILE = 'manifest.json';
/** The `file` of a stream that is not stored but produced by its generator. */
export const GENERATED = 'generated';

export interface ManifestEntry {
  readonly name: string;
  /** File name inside streams/, or "generated". */
  readonly file: string;
  readonly task: StreamTask;
  readonly description: string;
  readonly method: string;
  readonly features: { readonly format: FeatureFormat; readonly names: readonly string[] };
  readonly labels: { readonly format: LabelFormat; readonly classes: readonly string[] };
  readonly records: number;
  readonly seed: number;
  /** sha256 of the uncompressed canonical JSONL. */
  readonly sha256: string;
  /** Uncompressed size of the canonical JSONL. */
  readonly bytes: number;
  /** For generated streams: the digest of the first `records` records, quick to check. */
  readonly prefix?: { readonly records: number; readonly sha256: string };
  readonly generator: { readonly source: string; readonly version: number };
  readonly recommended: RecommendedConfig;
  readonly properties: Readonly<Record<string, number>>;
}

export interface Manifest {
  readonly formatVersion: 1;
  /** How the checksummed bytes are laid out (canonical.ts). */
  readonly canonical: string;
  readonly streams: readonly ManifestEntry[];
}

export const CANONICAL_FORM =
  'One JSON object per line, keys features, label, weight, id in that order (optional ones omitted), ' +
  'feature objects in declared name order, numbers in shortest round-trip form, no spaces, UTF-8, "\\n" after every line.';

/** Number of leading records whose digest is recorded for generated streams. */
export const PREFIX_RECORDS = 10_000;

/** Absolute path of the shipped streams/ directory (same relative place from src/ and from dist/). */
export function streamsDir(): string {
  return fileURLToPath(new URL('../../streams/', import.meta.url));
}

/** The manifest entry for a stream whose default output has digest `digest`. */
export function manifestEntry(
  info: StreamInfo,
  digest: StreamDigest,
  prefix?: { records: number; sha256: string },
): ManifestEntry {
  return {
    name: info.name,
    file: info.file ?? GENERATED,
    task: info.task,
    description: info.description,
    method: info.method,
    features: { format: info.featureFormat, names: info.featureNames },
    labels: { format: info.labelFormat, classes: info.classes },
    records: digest.records,
    seed: info.defaultSeed,
    sha256: digest.sha256,
    bytes: digest.bytes,
    ...(prefix === undefined ? {} : { prefix }),
    generator: { source: info.generator, version: info.version },
    recommended: info.recommended,
    properties: info.properties,
  };
}

export async function readManifest(dir: string = streamsDir()): Promise<Manifest> {
  const path = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  if (manifest.formatVersion !== 1) {
    throw new ConfigError(`${path}: formatVersion must be 1, got ${JSON.stringify(manifest.formatVersion)}`);
  }
  return manifest;
}

/** Absolute path of a stream's committed file, or null for a generated stream. */
export function streamFilePath(info: StreamInfo, dir: string = streamsDir()): string | null {
  return info.file === null ? null : join(dir, info.file);
}
