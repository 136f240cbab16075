/**
 * A .jsonl or .jsonl.gz file as a cold Observable of SourceRecords, one per line, streamed: memory holds
 * one read chunk and the current line, never the file. Each subscription reads the file anew.
 *
 * Gzip is recognized by the `.gz` extension or by the gzip magic bytes (1f 8b), and may have several
 * members (files appended to by JsonlSink): node's gunzip reads them in sequence.
 *
 * Flow control: lines go downstream synchronously, and the next chunk is read only after the current
 * chunk's lines have been handled, so a synchronous pipeline (decode -> train) paces the reader by itself.
 * A pipeline with asynchronous stages passes `paused`: while its latest value is true, no further line is
 * emitted and no further chunk is read.
 */
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { Observable } from 'rxjs';
import type { SourceRecord } from '../types.js';
import { splitLines } from './split-lines.js';

export interface JsonlSourceOptions {
  /**
   * Lines longer than this are cut to maxLineBytes + 1 bytes so the decoder rejects them as oversize
   * without the line ever being held whole; keep it equal to the decoder's maxRecordBytes.
   */
  readonly maxLineBytes?: number;
  /** Lines made only of whitespace are skipped (they still count for line numbers). */
  readonly skipBlankLines?: boolean;
  /** First line to emit (1-based): resuming a replay from a checkpointed position. */
  readonly startLine?: number;
  /** 'auto': by extension or magic bytes. */
  readonly gzip?: 'auto' | boolean;
  /** Read chunk size. */
  readonly chunkBytes?: number;
  /** While the latest value is true, reading and emitting wait. */
  readonly paused?: Observable<boolean>;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

export function readJsonl(path: string, options: JsonlSourceOptions = {}): Observable<SourceRecord> {
  const {
    maxLineBytes = 1024 * 1024,
    skipBlankLines = true,
    startLine = 1,
    gzip = 'auto',
    chunkBytes = 64 * 1024,
    paused,
  } = options;

  return new Observable<SourceRecord>((subscriber) => {
    const abort = new AbortController();
    let isPaused = false;
    let wake: (() => void) | null = null;
    const resume = (): void => {
      const w = wake;
      wake = null;
      w?.();
    };
    const gate = paused?.subscribe({
      next(value) {
        isPaused = value;
        if (!value) resume();
      },
      error: (err: unknown) => subscriber.error(err),
    });

    const pump = async (): Promise<void> => {
      const chunks = await openChunks(path, { gzip, chunkBytes, signal: abort.signal });
      let line = 0;
      for await (const lines of splitLines(chunks, { maxLineBytes })) {
        for (const value of lines) {
          line++;
          if (line < startLine || (skipBlankLines && isBlank(value))) continue;
          while (isPaused && !abort.signal.aborted) await new Promise<void>((resolve) => (wake = resolve));
          if (abort.signal.aborted) return;
          subscriber.next({ value, origin: { kind: 'file', path, line } });
        }
      }
      subscriber.complete();
    };
    pump().catch((err: unknown) => {
      // After unsubscribe the destroyed stream rejects with an AbortError: nobody is listening.
      if (!abort.signal.aborted) subscriber.error(err);
    });

    return () => {
      abort.abort();
      gate?.unsubscribe();
      resume();
    };
  });
}

async function openChunks(
  path: string,
  options: { gzip: 'auto' | boolean; chunkBytes: number; signal: AbortSignal },
): Promise<AsyncIterable<Buffer>> {
  const handle = await open(path, 'r');
  let compressed = options.gzip === true;
  try {
    if (options.gzip === 'auto') {
      const magic = Buffer.alloc(2);
      // Positional read: the stream below still starts at byte 0.
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      compressed = path.endsWith('.gz') || (bytesRead === 2 && magic[0] === GZIP_MAGIC_0 && magic[1] === GZIP_MAGIC_1);
    }
  } catch (err) {
    await handle.close();
    throw err;
  }
  // The stream owns the handle from here and closes it on end, error or destroy.
  const raw = handle.createReadStream({ highWaterMark: options.chunkBytes, signal: options.signal });
  if (!compressed) return raw;
  // pipeline destroys both streams if either fails, and forwards the error to the one we iterate.
  const gunzip: Readable = pipeline(raw, createGunzip(), () => undefined);
  return gunzip;
}

function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
