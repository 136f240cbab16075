/**
 * What the train job needs to know about a .jsonl(.gz) file before it trains: how many lines it has (so
 * the progress bar has a length) and its first records (to infer a schema when none is configured).
 * Both read the file as a stream; nothing holds the whole file.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function openText(path: string): Promise<Readable> {
  const raw = createReadStream(path);
  return (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
}

/** Non-blank lines in the file (each is one record). */
export async function countRecords(path: string): Promise<number> {
  const stream = await openText(path);
  let count = 0;
  let lineHasText = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === 0x0a) {
        if (lineHasText) count++;
        lineHasText = false;
      } else if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) {
        lineHasText = true;
      }
    }
  }
  return lineHasText ? count + 1 : count;
}

/** The first `n` non-blank lines. */
export async function firstLines(path: string, n: number): Promise<string[]> {
  const stream = await openText(path);
  const lines: string[] = [];
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of reader) {
    if (line.trim() === '') continue;
    lines.push(line);
    if (lines.length >= n) break;
  }
  reader.close();
  stream.destroy();
  return lines;
}
