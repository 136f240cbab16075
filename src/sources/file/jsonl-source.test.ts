import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BehaviorSubject, firstValueFrom, lastValueFrom, take, tap, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordDecoder } from '../../pipeline/decode-record.js';
import type { Rejected } from '../../pipeline/sample.js';
import type { SourceRecord } from '../types.js';
import { readJsonl } from './jsonl-source.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jsonl-source-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (records: SourceRecord[]): Array<[number, string]> =>
  records.map((r) => [(r.origin as { line: number }).line, (r.value as Buffer).toString('utf8')]);

const content = '{"features": [1], "label": 0}\r\n\n   \n{"features": [2], "label": 1}\n{"features": [3], "label": 0}';

describe('readJsonl', () => {
  it('emits one record per line with 1-based line numbers, skipping blank lines, without a final newline', async () => {
    const path = join(dir, 'plain.jsonl');
    await writeFile(path, content);
    const records = await lastValueFrom(readJsonl(path).pipe(toArray()));
    expect(records[0].origin).toEqual({ kind: 'file', path, line: 1 });
    expect(text(records)).toEqual([
      [1, '{"features": [1], "label": 0}'],
      [4, '{"features": [2], "label": 1}'],
      [5, '{"features": [3], "label": 0}'],
    ]);
  });

  it('reads gzip by extension, and by magic bytes whatever the name, across small chunks', async () => {
    const gz = join(dir, 'stream.jsonl.gz');
    const disguised = join(dir, 'disguised.jsonl');
    await writeFile(gz, gzipSync(content));
    await writeFile(disguised, gzipSync(content));
    for (const path of [gz, disguised]) {
      const records = await lastValueFrom(readJsonl(path, { chunkBytes: 7 }).pipe(toArray()));
      expect(text(records).map(([line]) => line)).toEqual([1, 4, 5]);
      expect(text(records)[2][1]).toBe('{"features": [3], "label": 0}');
    }
  });

  it('can keep blank lines and start at a given line', async () => {
    const path = join(dir, 'start.jsonl');
    await writeFile(path, content);
    const all = await lastValueFrom(readJsonl(path, { skipBlankLines: false }).pipe(toArray()));
    expect(text(all).map(([line]) => line)).toEqual([1, 2, 3, 4, 5]);
    const resumed = await lastValueFrom(readJsonl(path, { startLine: 4 }).pipe(toArray()));
    expect(text(resumed).map(([line]) => line)).toEqual([4, 5]);
  });

  it('hands over the exact bytes, so the decoder sees invalid UTF-8', async () => {
    const path = join(dir, 'bytes.jsonl');
    const bad = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]);
    await writeFile(path, Buffer.concat([bad, Buffer.from('\n')]));
    const [record] = await lastValueFrom(readJsonl(path).pipe(toArray()));
    expect(record.value).toEqual(bad);
    const decoded = createRecordDecoder({ features: 1, task: 'regression' })(record) as Rejected;
    expect(decoded.reason).toBe('invalid_utf8');
  });

  it('cuts a line longer than maxLineBytes, so it is rejected as oversize without being held whole', async () => {
    const path = join(dir, 'long.jsonl');
    const long = `{"features": [1], "label": 0, "pad": "${'x'.repeat(100_000)}"}`;
    await writeFile(path, `${long}\n{"features": [2], "label": 1}\n`);
    const records = await lastValueFrom(readJsonl(path, { maxLineBytes: 1000, chunkBytes: 4096 }).pipe(toArray()));
    expect((records[0].value as Buffer).length).toBe(1001);
    expect(text(records)[1]).toEqual([2, '{"features": [2], "label": 1}']);
    const decode = createRecordDecoder({ features: 1, task: 'regression' }, { maxRecordBytes: 1000 });
    expect((decode(records[0]) as Rejected).reason).toBe('oversize');
    expect(decode(records[1]).kind).toBe('sample');
  });

  it('stops reading when unsubscribed', async () => {
    const path = join(dir, 'many.jsonl.gz');
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"features": [${i}], "label": 0}`).join('\n');
    await writeFile(path, gzipSync(lines));
    const firstTwo = await lastValueFrom(readJsonl(path).pipe(take(2), toArray()));
    expect(text(firstTwo).map(([line]) => line)).toEqual([1, 2]);
    const all = await lastValueFrom(readJsonl(path).pipe(toArray()));
    expect(all).toHaveLength(20_000);
  });

  it('waits while paused, mid-chunk, and resumes where it stopped', async () => {
    const path = join(dir, 'paused.jsonl');
    await writeFile(path, content);
    const paused = new BehaviorSubject(false);
    const got: number[] = [];
    const done = lastValueFrom(
      readJsonl(path, { paused }).pipe(
        tap((r) => {
          const { line } = r.origin as { line: number };
          got.push(line);
          if (line === 1) paused.next(true);
        }),
        toArray(),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual([1]);
    paused.next(false);
    expect(text(await done).map(([line]) => line)).toEqual([1, 4, 5]);
  });

  it('reports a missing file on the error channel', async () => {
    await expect(firstValueFrom(readJsonl(join(dir, 'nope.jsonl')))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a corrupt gzip file on the error channel', async () => {
    const path = join(dir, 'corrupt.jsonl.gz');
    await writeFile(path, gzipSync(content).subarray(0, 20));
    await expect(lastValueFrom(readJsonl(path).pipe(toArray()))).rejects.toMatchObject({ code: 'Z_BUF_ERROR' });
  });
});
