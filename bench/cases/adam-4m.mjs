/**
 * Issue 2 (b) and issue 8 case 3: one Adam step (lr 1e-3, betas 0.9/0.999, eps 1e-8) over 4M float32
 * parameters with a fixed gradient, in nanoseconds per parameter. One unit of work = one optimizer step.
 * `ours` is the default optimizer (the WebAssembly SIMD kernel for a tensor this large), `ours:js` the
 * same optimizer kept on its JS loops.
 */
import { childProcess, ownProcess, Skip } from '../lib/contestants.mjs';

const PARAMETERS = 4 * 1024 * 1024;
const LR = 1e-3;

export default {
  name: 'adam-4m',
  title: `one Adam step over ${PARAMETERS} float32 parameters (one tensor, fixed gradient)`,
  unitOfWork: 'steps',
  metric: { unit: 'ns/param', higherIsBetter: false, of: (steps, seconds) => (seconds * 1e9) / (steps * PARAMETERS) },
  initialUnits: 1,
  targets: [
    { peer: 'c-O3-native', minSpeedup: 1 / 3, text: 'issue 2 (b): within 3x of the C loop (cc -O3 -march=native)' },
    { peer: 'c-O3-native', minSpeedup: 1 / 2, text: 'issue 8 case 3: within 2x of the C loop (cc -O3 -march=native)' },
  ],
  async contestants(ctx) {
    const cLoop = (name, role, flags, describe) =>
      childProcess({ name, role, describe, command: () => ctx.compileC('adam.c', flags), args: [String(PARAMETERS)] });
    const peerConfig = JSON.stringify({ parameters: PARAMETERS, lr: LR });
    return [
      // Each of our rows in a process of its own, as the peers: see ownProcess (lib/contestants.mjs).
      ownProcess({
        name: 'ours',
        role: 'ours',
        describe: "createOptimizer({ type: 'adam' }).step over one Float32Array: the WebAssembly SIMD kernel",
        module: import.meta.url,
        exportName: 'ourContestant',
        config: { mode: 'optimizer' },
      }),
      ownProcess({
        name: 'ours:js',
        role: 'variant',
        describe: "new Adam({ type: 'adam' }, { simdMinLength: Infinity }).step: the same optimizer on its JS loops",
        module: import.meta.url,
        exportName: 'ourContestant',
        config: { mode: 'js' },
      }),
      ownProcess({
        name: 'ours:kernel',
        role: 'reference',
        describe: 'the SIMD kernel alone on params and grads already in wasm memory (no copies): what a parameter arena would give',
        module: import.meta.url,
        exportName: 'ourContestant',
        config: { mode: 'kernel' },
      }),
      cLoop('c-O3-native', 'peer', ['-O3', '-march=native'], 'peers/adam.c, cc -O3 -march=native (sqrtf keeps errno: stays scalar)'),
      cLoop('c-O3', 'reference', ['-O3'], 'peers/adam.c, cc -O3'),
      cLoop('c-O3-native-simd', 'reference', ['-O3', '-march=native', '-fno-math-errno'], 'peers/adam.c, cc -O3 -march=native -fno-math-errno (vectorized)'),
      childProcess({
        name: 'tfjs-wasm',
        role: 'peer',
        describe: 'tfjs 4.22 wasm backend (SIMD, 1 thread), tf.train.adam().applyGradients',
        command: process.execPath,
        args: [ctx.peer('tfjs-adam.mjs'), peerConfig, 'wasm'],
      }),
      childProcess({
        name: 'tfjs-cpu',
        role: 'reference',
        describe: 'the same on the tfjs cpu (plain JS) backend',
        command: process.execPath,
        args: [ctx.peer('tfjs-adam.mjs'), peerConfig, 'cpu'],
      }),
      childProcess({
        name: 'torch-single',
        role: 'reference',
        describe: 'PyTorch optim.Adam(foreach=False), 1 thread: the per-tensor path src/optim follows',
        command: ctx.python,
        args: [ctx.peer('torch_adam.py'), peerConfig, 'single'],
      }),
      childProcess({
        name: 'torch-fused',
        role: 'reference',
        describe: 'PyTorch optim.Adam(fused=True), 1 thread: one vectorized CPU kernel',
        command: ctx.python,
        args: [ctx.peer('torch_adam.py'), peerConfig, 'fused'],
      }),
    ];
  },
};

/** One of our rows, in its own process. */
export async function ourContestant({ mode }) {
  return mode === 'kernel' ? kernelAlone() : ours({ jsLoops: mode === 'js' });
}

async function ours({ jsLoops }) {
  const { createOptimizer } = await import('../../dist/optim/registry.js');
  const { Adam } = await import('../../dist/optim/adam.js');
  const { Rng } = await import('../../dist/math/rng.js');
  const rng = new Rng(1);
  const weights = new Float32Array(PARAMETERS);
  const grad = new Float32Array(PARAMETERS);
  for (let i = 0; i < PARAMETERS; i++) {
    weights[i] = rng.uniformRange(-0.1, 0.1);
    grad[i] = rng.uniformRange(-0.01, 0.01);
  }
  const config = { type: 'adam', lr: LR };
  // createOptimizer takes no implementation options: the JS variant builds the class itself.
  const optimizer = jsLoops ? new Adam(config, { simdMinLength: Infinity }) : createOptimizer(config);
  const params = { w: weights };
  const grads = { w: grad };
  return {
    info: { parameters: PARAMETERS },
    run(steps) {
      for (let s = 0; s < steps; s++) optimizer.step(params, grads);
    },
  };
}

async function kernelAlone() {
  const { KernelMemory } = await import('../../dist/kernels/kernel-memory.js');
  const { createAdamKernel } = await import('../../dist/kernels/adam.js');
  const { Rng } = await import('../../dist/math/rng.js');
  const memory = KernelMemory.create();
  const kernel = memory === null ? null : createAdamKernel(memory);
  if (kernel === null) throw new Skip('no WebAssembly SIMD in this runtime');
  const [p, g, m, v] = [0, 1, 2, 3].map(() => memory.allocateFloat32(PARAMETERS));
  const rng = new Rng(1);
  const weights = memory.float32(p, PARAMETERS);
  const grad = memory.float32(g, PARAMETERS);
  for (let i = 0; i < PARAMETERS; i++) {
    weights[i] = rng.uniformRange(-0.1, 0.1);
    grad[i] = rng.uniformRange(-0.01, 0.01);
  }
  let t = 0;
  return {
    info: { parameters: PARAMETERS },
    run(steps) {
      for (let s = 0; s < steps; s++) {
        t++;
        const negStepSize = -LR / (1 - 0.9 ** t);
        kernel(p, g, m, v, 0, PARAMETERS / 4, 1, 0, 1 - 0.9, 0.999, 1 - 0.999, negStepSize, Math.sqrt(1 - 0.999 ** t), 1e-8);
      }
    },
  };
}
