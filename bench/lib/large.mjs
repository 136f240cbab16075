/**
 * The project's `large` stream (src/streams/large.ts: 30 positional features x ~ N(0, I) rounded to
 * 0.001, label ~ Bernoulli(sigmoid(w . x - 0.5))), its first n records at the default seed. Every
 * contestant reads the same records from one binary file: float32 x [n x 30], then int32 y [n].
 * Float32 holds what our float32 model sees; the Python peers widen the same values.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { streamRecords } from '../../dist/streams/catalogue.js';

export const LARGE_FEATURES = 30;

export function large(n) {
  const x = new Float32Array(LARGE_FEATURES * n);
  const y = new Int32Array(n);
  let i = 0;
  for (const record of streamRecords('large', { records: n })) {
    x.set(record.features, LARGE_FEATURES * i);
    y[i] = record.label;
    i++;
  }
  return { n, x, y };
}

/** Writes the data where child peers can read it; returns the path. */
export function writeLarge(dir, data) {
  const file = join(dir, `large-${data.n}.bin`);
  const bytes = Buffer.concat([Buffer.from(data.x.buffer, data.x.byteOffset, data.x.byteLength), Buffer.from(data.y.buffer, data.y.byteOffset, data.y.byteLength)]);
  writeFileSync(file, bytes);
  return file;
}
