/**
 * Appends JSON lines to a file: dead letters, recordings of a stream. `.gz` paths are gzip-compressed;
 * each opening appends a new gzip member, which readers (readJsonl, zcat, Python's gzip) read as one
 * stream. A member is complete only after close(): after a crash, a .gz file ends in a truncated member,
 * so prefer plain .jsonl where a crash must not cost the tail (dead letters).
 *
 * Writes are ordered; `write` resolves once the line is accepted, waiting for 'drain' when the stream's
 * buffer is full, so a producer that awaits it is paced by the disk.
 */
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Gzip } from 'node:zlib';

export interface JsonlSinkOptions {
  /** 'auto': gzip when the path ends in .gz. */
  readonly gzip?: 'auto' | boolean;
}

export class JsonlSink {
  private written = 0;
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly file: WriteStream,
    private readonly gzip: Gzip | null,
  ) {
    const remember = (err: Error): void => {
      this.failure ??= err;
    };
    file.on('error', remember);
    gzip?.on('error', remember);
  }

  /** Opens (creating the directory and file if needed) for appending. Fails here if the path is unwritable. */
  static async open(path: string, options: JsonlSinkOptions = {}): Promise<JsonlSink> {
    const compressed = options.gzip === 'auto' || options.gzip === undefined ? path.endsWith('.gz') : options.gzip;
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'a');
    // The stream owns the handle from here and closes it when it finishes.
    const file = handle.createWriteStream();
    const gzip = compressed ? createGzip() : null;
    if (gzip !== null) gzip.pipe(file);
    return new JsonlSink(path, handle, file, gzip);
  }

  /** Lines accepted so far by this sink. */
  get linesWritten(): number {
    return this.written;
  }

  /** Appends JSON.stringify(value) as one line. */
  write(value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined) return Promise.reject(new TypeError(`JsonlSink: ${typeof value} has no JSON form`));
    return this.writeLine(text);
  }

  /** Appends text that is already one JSON line (e.g. a record's exact bytes as received). */
  async writeLine(line: string): Promise<void> {
    this.check();
    if (line.includes('\n') || line.includes('\r')) throw new RangeError('JsonlSink.writeLine: a line must not contain \\n or \\r');
    const head = this.gzip ?? this.file;
    this.written++;
    if (!head.write(`${line}\n`)) await once(head, 'drain');
  }

  /**
   * Hands everything written so far to the operating system (gzip: a sync flush, so the bytes are on
   * disk but the member is still open), and with `fsync` waits until it is durable.
   */
  async flush({ fsync = false }: { fsync?: boolean } = {}): Promise<void> {
    this.check();
    const { gzip, file } = this;
    if (gzip !== null) {
      await new Promise<void>((resolve) => gzip.flush(() => resolve()));
      // Output the pipe has not moved yet (the file stream was busy) must reach it first.
      while (gzip.readableLength > 0) await once(file, 'drain');
    }
    // Writes complete in order: when this empty one is done, every earlier one is.
    await new Promise<void>((resolve, reject) => file.write(Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));
    if (fsync) await this.handle.sync();
    this.check();
  }

  /** Completes the gzip member, if any, and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    (this.gzip ?? this.file).end();
    await finished(this.file);
    if (this.failure !== null) throw this.failure;
  }

  private check(): void {
    if (this.failure !== null) throw this.failure;
    if (this.closed) throw new Error(`JsonlSink ${this.path} is closed`);
  }
}
