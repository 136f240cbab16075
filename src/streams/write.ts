/** Writes a stream to a .jsonl file, or gzip-compressed when the name ends in .gz. */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { canonicalChunks, StreamHasher, type StreamDigest } from './checksum.js';
import type { StreamOptions } from './types.js';

export interface WriteStreamOptions extends StreamOptions {
  /** Destination path; `.gz` selects gzip (level 9), anything else plain JSONL. */
  readonly out: string;
}

/** Writes stream `name` to `out` and returns the digest of the uncompressed JSONL written. */
export async function writeStream(name: string, options: WriteStreamOptions): Promise<StreamDigest> {
  const hasher = new StreamHasher();
  // Validated before the file is opened: an unknown name or bad option leaves nothing on disk.
  const hashed = Readable.from(hashing(canonicalChunks(name, options), hasher));
  const file = createWriteStream(options.out);
  if (options.out.endsWith('.gz')) await pipeline(hashed, createGzip({ level: 9 }), file);
  else await pipeline(hashed, file);
  return hasher.digest();
}

/** Passes chunks through, feeding each to the hasher on the way to the file. */
function* hashing(chunks: Iterable<Buffer>, hasher: StreamHasher): Generator<Buffer> {
  for (const chunk of chunks) {
    hasher.update(chunk);
    yield chunk;
  }
}
