/**
 * Statsville-like training data (shared/spec/numerics.md): residents as man (0), woman (1) or child (2)
 * from (height cm, weight kg), three Gaussian clusters, standardized with the pooled mean and standard
 * deviation as the learner's online standardization would converge to. Every contestant reads the same
 * samples from one binary file: float32 x [n x 2], then int32 y [n].
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../dist/math/rng.js';

const CLUSTERS = [
  { height: [178, 7], weight: [82, 10] },
  { height: [165, 6.5], weight: [66, 9] },
  { height: [132, 15], weight: [31, 10] },
];

export function statsville(n, seed = 7) {
  const rng = new Rng(seed);
  const raw = new Float64Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(3);
    const { height, weight } = CLUSTERS[c];
    raw[2 * i] = rng.normal(height[0], height[1]);
    raw[2 * i + 1] = rng.normal(weight[0], weight[1]);
    y[i] = c;
  }
  const x = new Float32Array(2 * n);
  for (let f = 0; f < 2; f++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += raw[2 * i + f];
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (raw[2 * i + f] - mean) ** 2;
    const std = Math.sqrt(variance / n);
    for (let i = 0; i < n; i++) x[2 * i + f] = (raw[2 * i + f] - mean) / std;
  }
  return { n, x, y };
}

/** Writes the data where child peers can read it; returns the path. */
export function writeStatsville(dir, data) {
  const file = join(dir, `statsville-${data.n}.bin`);
  const bytes = Buffer.concat([Buffer.from(data.x.buffer, data.x.byteOffset, data.x.byteLength), Buffer.from(data.y.buffer, data.y.byteOffset, data.y.byteLength)]);
  writeFileSync(file, bytes);
  return file;
}
