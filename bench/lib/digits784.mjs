/**
 * MNIST-shaped training data for the 784-input MLP case: n samples of 784 floats in [0, 1] (a 28x28
 * "image") and a label among 10 classes. Each class has a fixed random prototype; a sample is its
 * class's prototype plus uniform noise, clipped to [0, 1], so the classes are learnable but the values
 * are dense like normalized pixel intensities. Only the shapes and value range matter for speed; the
 * data is synthetic so the bench needs no download. Every contestant reads the same samples from one
 * binary file: float32 x [n x 784], then int32 y [n].
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../dist/math/rng.js';

export const PIXELS = 784;
export const CLASSES = 10;
const NOISE = 0.5;

export function digits784(n, seed = 11) {
  const rng = new Rng(seed);
  const prototypes = new Float64Array(CLASSES * PIXELS);
  for (let i = 0; i < prototypes.length; i++) prototypes[i] = rng.uniform();
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const c = rng.int(CLASSES);
    y[s] = c;
    for (let f = 0; f < PIXELS; f++) {
      const v = prototypes[c * PIXELS + f] + NOISE * (rng.uniform() - 0.5);
      x[s * PIXELS + f] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return { n, x, y };
}

/** Writes the data where child peers can read it; returns the path. */
export function writeDigits784(dir, data) {
  const file = join(dir, `digits784-${data.n}.bin`);
  const bytes = Buffer.concat([Buffer.from(data.x.buffer, data.x.byteOffset, data.x.byteLength), Buffer.from(data.y.buffer, data.y.byteOffset, data.y.byteLength)]);
  writeFileSync(file, bytes);
  return file;
}
