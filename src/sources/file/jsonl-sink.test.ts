import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDeadLetter } from '../../pipeline/dead-letter.js';
import { readJsonl } from './jsonl-source.js';
import { JsonlSink } from './jsonl-sink.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jsonl-sink-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const readBack = async (path: string): Promise<unknown[]> =>
  (await lastValueFrom(readJsonl(path).pipe(toArray()))).map((r) => JSON.parse((r.value as Buffer).toString('utf8')));

describe('JsonlSink', () => {
  it('appends one JSON line per write, across openings, creating the directory', async () => {
    const path = join(dir, 'nested', 'dead-letters.jsonl');
    const first = await JsonlSink.open(path);
    await first.write({ a: 1 });
    await first.writeLine('{"b": 2}');
    expect(first.linesWritten).toBe(2);
    await first.close();
    const second = await JsonlSink.open(path);
    await second.write({ c: [3] });
    await second.close();
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n{"b": 2}\n{"c":[3]}\n');
  });

  it('gzips .gz paths, one member per opening, readable as one stream by readJsonl and gunzip', async () => {
    const path = join(dir, 'recording.jsonl.gz');
    for (const batch of [[1, 2], [3]]) {
      const sink = await JsonlSink.open(path);
      for (const i of batch) await sink.write({ features: [i], label: 0 });
      await sink.close();
    }
    const expected = [1, 2, 3].map((i) => ({ features: [i], label: 0 }));
    expect(await readBack(path)).toEqual(expected);
    expect(gunzipSync(await readFile(path)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual(expected);
  });

  it('flush puts gzip output on disk before close (readable with a sync-flush reader)', async () => {
    const path = join(dir, 'flushed.jsonl.gz');
    const sink = await JsonlSink.open(path);
    await sink.write({ n: 1 });
    await sink.flush({ fsync: true });
    const partial = gunzipSync(await readFile(path), { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
    expect(partial).toBe('{"n":1}\n');
    await sink.close();
  });

  it('writes dead letters in the documented format', async () => {
    const path = join(dir, 'dlq.jsonl');
    const sink = await JsonlSink.open(path);
    const origin = { kind: 'file', path: 'in.jsonl', line: 3 } as const;
    await sink.write(toDeadLetter({ kind: 'rejected', reason: 'not_json', message: 'Unexpected end of JSON input', origin, raw: '{"features": [' }));
    await sink.close();
    expect(await readBack(path)).toEqual([{ reason: 'not_json', message: 'Unexpected end of JSON input', origin, raw: '{"features": [' }]);
  });

  it('refuses a line with a newline, a write after close, and an unwritable path at open', async () => {
    const sink = await JsonlSink.open(join(dir, 'rules.jsonl'));
    await expect(sink.writeLine('{"a":\n1}')).rejects.toThrow('a line must not contain \\n or \\r');
    await expect(sink.write(undefined)).rejects.toThrow('undefined has no JSON form');
    await sink.close();
    await sink.close();
    await expect(sink.write({})).rejects.toThrow('is closed');
    await expect(JsonlSink.open(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
