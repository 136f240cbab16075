/**
 * ReplayLineReader (src/app/replay-lines.ts): the replay loop pulls lines one at a time from
 * readJsonl's push-based stream, pausing the reader whenever highWaterLines wait unread.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ReplayLineReader } from '../../src/app/replay-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'ol-replay-lines-'));

async function drain(reader: ReplayLineReader): Promise<string[]> {
  const lines: string[] = [];
  while ((await reader.peek()) !== null) lines.push(String(reader.shift().value));
  return lines;
}

describe('ReplayLineReader', () => {
  it('yields every line of a gzip file in order, pausing and resuming the reader many times', async () => {
    const texts = Array.from({ length: 5_000 }, (_, i) => `{"i":${i}}`);
    const path = join(dir, 'many.jsonl.gz');
    writeFileSync(path, gzipSync(texts.join('\n') + '\n'));
    // A high-water mark of 10 lines: the reader is paused and resumed hundreds of times.
    const reader = new ReplayLineReader(path, { highWaterLines: 10 });
    expect(await drain(reader)).toEqual(texts);
  });

  it('peek returns the same line until shift takes it, with its line number', async () => {
    const path = join(dir, 'two.jsonl');
    writeFileSync(path, '{"a":1}\n\n{"a":2}\n');
    const reader = new ReplayLineReader(path);
    const first = await reader.peek();
    expect(await reader.peek()).toBe(first);
    expect(reader.shift()).toBe(first);
    // The blank line is skipped but counted.
    expect((await reader.peek())?.origin).toEqual({ kind: 'file', path, line: 3 });
  });

  it('rejects peek when the file cannot be read', async () => {
    await expect(new ReplayLineReader(join(dir, 'missing.jsonl')).peek()).rejects.toThrow(/ENOENT/);
  });

  it('after close, a pending peek resolves and reading stops', async () => {
    const path = join(dir, 'closed.jsonl');
    writeFileSync(path, Array.from({ length: 100_000 }, (_, i) => `{"i":${i}}`).join('\n'));
    const reader = new ReplayLineReader(path, { highWaterLines: 100 });
    await reader.peek();
    reader.close();
    const rest = await drain(reader);
    expect(rest.length).toBeLessThan(100_000);
  });
});
