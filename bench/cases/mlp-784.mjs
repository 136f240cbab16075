/**
 * Issue 8 case 4: training a 784 -> 256 -> 10 MLP (ReLU, softmax cross-entropy on logits, Adam lr 1e-3,
 * float32) at batch 64 on MNIST-shaped data, in samples per second. One unit of work = one step.
 * Unlike the Statsville MLP, the work here is in the matrix products, so the case also reports each
 * contestant's GFLOP/s against the machine's float32 peak.
 *
 * FLOPs per step: 2·m·n·k for each product that runs. Layer 1 (784 -> 256): forward X·W1ᵀ and
 * dW1 = dH1ᵀ·X, 2 x 2·64·256·784; its input gradient dX is not needed (the input is data) and neither
 * ours nor PyTorch computes it. Layer 2 (256 -> 10): forward, dW2 and dH1 = dY·W2, 3 x 2·64·10·256.
 * Element-wise work is not counted (bias, ReLU, softmax, and Adam's ~15 operations on each of 203,530
 * parameters: about 3M FLOPs, but no matrix product).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { childProcess, ownProcess, Skip } from '../lib/contestants.mjs';
import { digits784 } from '../lib/digits784.mjs';
import { formatValue } from '../lib/report.mjs';
import { batchesOf, coreLoop, trainerLoops } from '../lib/trainer-loops.mjs';

const BATCH = 64;
const INPUTS = 784;
const HIDDEN = 256;
const CLASSES = 10;
const LR = 1e-3;
const SAMPLES = 20_000;

export const FLOPS_PER_STEP = 2 * (2 * BATCH * HIDDEN * INPUTS) + 3 * (2 * BATCH * CLASSES * HIDDEN);
/** AVX2: 8 float32 lanes x 2 FMA units x 2 FLOP per FMA, per cycle. */
const FLOPS_PER_CYCLE = 32;

const SPEC = {
  task: 'multiclass',
  inputs: INPUTS,
  classes: CLASSES,
  model: { type: 'mlp', hidden: [HIDDEN], activation: 'relu', dtype: 'float32' },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: LR },
  seed: 1,
};

/** The float32 peak, measured and from the clock; filled by contestants(), read by columns and notes. */
const peak = { measuredGflops: null, measuredTrials: [], measuredSkip: null, clockMHz: null };

const gflops = (samplesPerSecond) => (samplesPerSecond * FLOPS_PER_STEP) / BATCH / 1e9;
const clockPeakGflops = () => (peak.clockMHz === null ? null : (peak.clockMHz * FLOPS_PER_CYCLE) / 1000);
/**
 * The clock's figure when there is one: the measured loop only reaches it on a quiet core (on this
 * shared machine it ranged 43-68 GFLOP/s against 78 from the clock), so it would flatter everyone.
 */
const peakGflops = () => clockPeakGflops() ?? peak.measuredGflops;

export default {
  name: 'mlp-784',
  title: `${INPUTS} -> ${HIDDEN} -> ${CLASSES} MLP (ReLU), softmax cross-entropy, Adam lr ${LR}, batch ${BATCH}, float32`,
  unitOfWork: 'steps',
  metric: { unit: 'samples/s', higherIsBetter: true, of: (steps, seconds) => (steps * BATCH) / seconds },
  initialUnits: 2,
  targets: [{ peer: 'torch', minSpeedup: 0.5, text: 'at least half the speed of PyTorch (1 thread)' }],
  columns: [
    { header: 'GFLOP/s (cpu)', of: (row) => gflops(row.cpu.median).toFixed(2) },
    { header: '% of peak', of: (row) => (peakGflops() === null ? '-' : `${((100 * gflops(row.cpu.median)) / peakGflops()).toFixed(1)}%`) },
  ],
  notes: () => {
    const clock = clockPeakGflops();
    return [
      `FLOPs per step: ${formatValue(FLOPS_PER_STEP)} (2mnk per product: layer 1 forward + dW, layer 2 forward + dW + dX; element-wise work not counted)`,
      `float32 peak of one core: ${clock === null ? 'no clock in /proc/cpuinfo' : `${clock.toFixed(1)} GFLOP/s from /proc/cpuinfo's ${peak.clockMHz} MHz x ${FLOPS_PER_CYCLE} FLOP/cycle`}; ` +
        `${peak.measuredGflops === null ? `not measured (${peak.measuredSkip})` : `${peak.measuredGflops.toFixed(1)} GFLOP/s measured`} ` +
        `(peers/fma_peak.c, best of ${peak.measuredTrials.length} trials of 0.1 s: ${peak.measuredTrials.join(', ')}); ` +
        `'% of peak' is of the ${clock === null ? 'measured' : 'clock'} one`,
    ];
  },
  async contestants(ctx) {
    measurePeak(ctx);
    const data = await ctx.loadDataset('digits784', SAMPLES);
    const peerConfig = JSON.stringify({ data: data.file, samples: SAMPLES, batch: BATCH, inputs: INPUTS, hidden: HIDDEN, classes: CLASSES, lr: LR });
    return [
      // Each of our rows in a process of its own, as the peers: see ownProcess (lib/contestants.mjs).
      ownProcess({
        name: 'ours',
        role: 'ours',
        describe: `createTrainingSetup; trainer.step(assembler.assemble(${BATCH} examples)), as the pipeline feeds it`,
        module: import.meta.url,
        exportName: 'ourContestant',
        config: { mode: 'assemble' },
      }),
      ownProcess({
        name: 'ours:js',
        role: 'variant',
        describe: 'the same with the WebAssembly gemm kernel turned off (useWasmGemm(false)): the plain-JS kernel',
        module: import.meta.url,
        exportName: 'ourContestant',
        config: { mode: 'assemble', wasmGemm: false },
      }),
      ownProcess({
        name: 'ours:core',
        role: 'variant',
        describe: 'model.forward, loss.compute, model.backward, optimizer.step: no assembly, no Trainer bookkeeping',
        module: import.meta.url,
        exportName: 'ourContestant',
        config: { mode: 'core' },
      }),
      childProcess({
        name: 'torch',
        role: 'peer',
        describe: 'PyTorch, 1 thread (MKL sgemm): nn.Sequential, CrossEntropyLoss, optim.Adam (single-tensor path)',
        command: ctx.python,
        args: [ctx.peer('torch_mlp.py'), peerConfig],
      }),
      childProcess({
        name: 'tfjs-wasm',
        role: 'reference',
        describe: 'tfjs 4.22 wasm backend (XNNPACK, SIMD, 1 thread), optimizer.minimize over matMul/relu/softmaxCrossEntropy',
        command: process.execPath,
        args: [ctx.peer('tfjs-mlp.mjs'), peerConfig, 'wasm'],
      }),
    ];
  },
};

function measurePeak(ctx) {
  try {
    const binary = ctx.compileC('fma_peak.c', ['-O2', '-mavx2', '-mfma']);
    // Many short trials, the best kept: on a shared core one of them usually lands in a quiet moment.
    const { gflops: best, trials } = JSON.parse(execFileSync(binary, ['0.1', '20'], { encoding: 'utf8' }));
    peak.measuredGflops = best;
    peak.measuredTrials = trials;
  } catch (error) {
    if (!(error instanceof Skip)) throw error;
    peak.measuredSkip = error.message;
  }
  try {
    const match = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    peak.clockMHz = match === null ? null : Number(match[1]);
  } catch {
    peak.clockMHz = null;
  }
}

/** One of our rows, in its own process: the same samples, regenerated (deterministic). */
export async function ourContestant({ mode, wasmGemm = true }) {
  return ours(digits784(SAMPLES), mode, { wasmGemm });
}

async function ours(data, mode, { wasmGemm = true } = {}) {
  const { createTrainingSetup } = await import('../../dist/training/setup.js');
  const { useWasmGemm } = await import('../../dist/math/gemm.js');
  const { createLoss } = await import('../../dist/losses/registry.js');
  const { trainer, assembler, model, optimizer } = createTrainingSetup(SPEC);
  const { batches, minibatches } = batchesOf(data, INPUTS, BATCH);
  const loss = createLoss(SPEC.loss);
  const steps = {
    ...trainerLoops(trainer, assembler, batches, minibatches),
    core: coreLoop(model, loss, optimizer, minibatches),
  };
  const loop = steps[mode];
  // The switch is process-wide and the other in-process contestants want the default: set it per run.
  const run = (count) => {
    useWasmGemm(wasmGemm);
    try {
      loop(count);
    } finally {
      useWasmGemm(true);
    }
  };
  return { info: { parameters: model.parameterCount(), flopsPerStep: FLOPS_PER_STEP, wasmGemm }, run };
}
