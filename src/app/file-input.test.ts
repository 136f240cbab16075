import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { countRecords, firstLines } from './file-input.js';

describe('file input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ol-file-input-'));
  const text = '{"a":1}\n\n  \n{"a":2}\n{"a":3}';

  it('counts non-blank lines, plain or gzip, with or without a final newline', async () => {
    writeFileSync(join(dir, 'x.jsonl'), text);
    writeFileSync(join(dir, 'x.jsonl.gz'), gzipSync(text + '\n'));
    expect(await countRecords(join(dir, 'x.jsonl'))).toBe(3);
    expect(await countRecords(join(dir, 'x.jsonl.gz'))).toBe(3);
  });

  it('reads the first non-blank lines', async () => {
    writeFileSync(join(dir, 'y.jsonl.gz'), gzipSync(text));
    expect(await firstLines(join(dir, 'y.jsonl.gz'), 2)).toEqual(['{"a":1}', '{"a":2}']);
  });
});
