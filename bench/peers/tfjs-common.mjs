/**
 * Loads TensorFlow.js with one backend ('wasm' or 'cpu'), single-threaded like the other peers, and
 * describes what it runs on. The tfjs packages come from bench/package.json.
 */
import { readFileSync } from 'node:fs';

export async function loadTfjs(backend) {
  // The @tensorflow/tfjs bundle, not tfjs-core: only the bundle's Node build registers the gradients.
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Node has no cross-origin isolation flag, but be explicit: one thread, like PyTorch and the C loop.
    wasm.setThreadsCount?.(1);
  } else if (backend === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    throw new Error(`unknown tfjs backend ${backend}`);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialize`);
  await tf.ready();
  const info = { tfjs: tf.version_core, backend: tf.getBackend() };
  if (backend === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  }
  return { tf, info };
}

/** The harness's shared data file: float32 x [n x features], then int32 y [n]. */
export function readDataset(file, samples, features) {
  const bytes = readFileSync(file);
  const x = new Float32Array(bytes.buffer, bytes.byteOffset, samples * features);
  const y = new Int32Array(bytes.buffer, bytes.byteOffset + 4 * samples * features, samples);
  return { x: new Float32Array(x), y: new Int32Array(y) };
}
