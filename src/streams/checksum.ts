/**
 * sha256 over the canonical JSONL bytes of a stream (see canonical.ts), with the record and byte
 * counts. The same hasher reads generator output and decompressed files, so both are compared on
 * identical terms.
 */
import { createHash, type Hash } from 'node:crypto';
import { streamRecords } from './catalogue.js';
import { formatRecord } from './canonical.js';
import type { StreamOptions, StreamRecord } from './types.js';

export interface StreamDigest {
  /** Lower-case hex sha256 of the uncompressed JSONL bytes. */
  readonly sha256: string;
  /** Number of lines (every canonical line ends with "\n"). */
  readonly records: number;
  /** Uncompressed size in bytes. */
  readonly bytes: number;
}

const NEWLINE = 0x0a;
/** Lines are packed into chunks of up to this many bytes: one hash update / write per chunk. */
const CHUNK_BYTES = 1 << 16;

export class StreamHasher {
  private readonly hash: Hash = createHash('sha256');
  private lines = 0;
  private bytes = 0;

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) this.lines++;
  }

  digest(): StreamDigest {
    return { sha256: this.hash.digest('hex'), records: this.lines, bytes: this.bytes };
  }
}

/**
 * The canonical JSONL of stream `name` as UTF-8 chunks of whole lines; lazy, like the records.
 * An unknown name or bad option throws here, before the first chunk is asked for.
 */
export function canonicalChunks(name: string, options: StreamOptions = {}): Generator<Buffer> {
  return chunksOf(streamRecords(name, options));
}

function* chunksOf(records: Iterable<StreamRecord>): Generator<Buffer> {
  // A fresh buffer per chunk: a consumer (a write pipeline) may still hold the previous one.
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (const record of records) {
    const line = formatRecord(record);
    // At most 3 UTF-8 bytes per UTF-16 code unit, so the line surely fits when this test passes.
    if (used + 3 * line.length > chunk.length) {
      if (used > 0) yield chunk.subarray(0, used);
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, 3 * line.length));
      used = 0;
    }
    used += chunk.write(line, used, 'utf8');
  }
  if (used > 0) yield chunk.subarray(0, used);
}

/** Digest of the stream as the generator produces it, without writing anything. */
export function hashStream(name: string, options: StreamOptions = {}): StreamDigest {
  const hasher = new StreamHasher();
  for (const chunk of canonicalChunks(name, options)) hasher.update(chunk);
  return hasher.digest();
}
