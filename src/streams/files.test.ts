import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listStreams } from './catalogue.js';
import { readManifest, streamsDir } from './manifest.js';
import { verifyStream } from './verify.js';

const committed = listStreams().filter((info) => info.file !== null);

describe('committed streams and manifest', () => {
  it('lists every catalogue stream, in catalogue order', async () => {
    const manifest = await readManifest();
    expect(manifest.streams.map((entry) => entry.name)).toEqual(listStreams().map((info) => info.name));
  });

  it.each(committed.map((info) => info.name))(
    '%s: the file, the generator and the manifest agree byte for byte',
    async (name) => {
      const result = await verifyStream(name);
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.file).toEqual(result.generated);
    },
  );

  it('large: generator prefix and manifest metadata agree', async () => {
    const result = await verifyStream('large', { prefixOnly: true });
    expect(result.problems).toEqual([]);
    expect(result.file).toBeNull();
  });

  it('keeps the committed files under 3 MB in total', async () => {
    let total = 0;
    for (const info of committed) total += (await stat(join(streamsDir(), info.file as string))).size;
    expect(total).toBeLessThan(3_000_000);
  });
});
