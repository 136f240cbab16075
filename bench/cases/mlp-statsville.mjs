/**
 * Issue 2 (a): training the chapter's 2 -> 100 -> 3 MLP (ReLU, softmax cross-entropy on logits, Adam
 * lr 1e-3, float32) at batch 10 on Statsville data, in samples per second. One unit of work = one step.
 */
import { childProcess, ownProcess } from '../lib/contestants.mjs';
import { statsville } from '../lib/statsville.mjs';
import { batchesOf, coreLoop, trainerLoops } from '../lib/trainer-loops.mjs';

const BATCH = 10;
const HIDDEN = 100;
const LR = 1e-3;
const SAMPLES = 200_000;

const SPEC = {
  task: 'multiclass',
  inputs: 2,
  classes: 3,
  model: { type: 'mlp', hidden: [HIDDEN], activation: 'relu', dtype: 'float32' },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: LR },
  seed: 1,
};

export default {
  name: 'mlp-statsville',
  title: `2 -> ${HIDDEN} -> 3 MLP (ReLU), softmax cross-entropy, Adam lr ${LR}, batch ${BATCH}, float32`,
  unitOfWork: 'steps',
  metric: { unit: 'samples/s', higherIsBetter: true, of: (steps, seconds) => (steps * BATCH) / seconds },
  initialUnits: 50,
  targets: [
    { peer: 'tfjs-wasm', minSpeedup: 30, text: 'at least 30x tfjs-wasm' },
    { peer: 'torch', minSpeedup: 5, text: 'at least 5x PyTorch (1 thread)' },
  ],
  async contestants(ctx) {
    const data = await ctx.loadDataset('statsville', SAMPLES);
    const peerConfig = JSON.stringify({ data: data.file, samples: SAMPLES, batch: BATCH, hidden: HIDDEN, lr: LR });
    return [
      // In a process of its own, as the peers: see ownProcess (lib/contestants.mjs).
      ownProcess({
        name: 'ours',
        role: 'ours',
        describe: 'createTrainingSetup; trainer.step(assembler.assemble(10 examples)), as the pipeline feeds it',
        module: import.meta.url,
        exportName: 'ourContestant',
        config: { mode: 'assemble' },
      }),
      ownProcess({
        name: 'ours:minibatch',
        role: 'variant',
        describe: 'trainer.step(prebuilt Minibatch): the step without minibatch assembly',
        module: import.meta.url,
        exportName: 'ourContestant',
        config: { mode: 'minibatch' },
      }),
      ownProcess({
        name: 'ours:core',
        role: 'variant',
        describe: 'model.forward, loss.compute, model.backward, optimizer.step: no Trainer bookkeeping',
        module: import.meta.url,
        exportName: 'ourContestant',
        config: { mode: 'core' },
      }),
      childProcess({
        name: 'tfjs-wasm',
        role: 'peer',
        describe: 'tfjs 4.22 wasm backend (SIMD, 1 thread), optimizer.minimize over matMul/relu/softmaxCrossEntropy',
        command: process.execPath,
        args: [ctx.peer('tfjs-mlp.mjs'), peerConfig, 'wasm'],
      }),
      childProcess({
        name: 'tfjs-cpu',
        role: 'reference',
        describe: 'the same on the tfjs cpu (plain JS) backend',
        command: process.execPath,
        args: [ctx.peer('tfjs-mlp.mjs'), peerConfig, 'cpu'],
      }),
      childProcess({
        name: 'torch',
        role: 'peer',
        describe: 'PyTorch, 1 thread: nn.Sequential, CrossEntropyLoss, optim.Adam (default single-tensor path on CPU)',
        command: ctx.python,
        args: [ctx.peer('torch_mlp.py'), peerConfig],
      }),
    ];
  },
};

/** One of our rows, in its own process: the same samples, regenerated (deterministic). */
export async function ourContestant({ mode }) {
  return ours(statsville(SAMPLES), mode);
}

async function ours(data, mode) {
  const { createTrainingSetup } = await import('../../dist/training/setup.js');
  const { createLoss } = await import('../../dist/losses/registry.js');
  const { trainer, assembler, model, optimizer } = createTrainingSetup(SPEC);
  const { batches, minibatches } = batchesOf(data, 2, BATCH);
  const loss = createLoss(SPEC.loss);
  const steps = {
    ...trainerLoops(trainer, assembler, batches, minibatches),
    core: coreLoop(model, loss, optimizer, minibatches),
  };
  return { info: { parameters: model.parameterCount() }, run: steps[mode] };
}
