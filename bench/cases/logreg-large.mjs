/**
 * Issue 2 (c): logistic regression on the `large` stream (30 positional features, binary labels,
 * already on a unit scale), sigmoid + binary cross-entropy on the logit, plain SGD lr 0.01, float32, at
 * batch 1 and batch 32, in samples per second. One case per batch size; one unit of work = one step of
 * `batch` samples (for River learn_one: `batch` learn_one calls).
 *
 * Two pairings. Unscaled: ours and River's LogisticRegression on the features as they are. Scaled:
 * issue 8 gives River's "scaled logistic regression" (20-30k samples/s) as the peer, i.e.
 * StandardScaler | LogisticRegression; ours:scaled standardizes each sample with the pipeline's online
 * standardizer (pipeline/welford.ts, update then transform, as `training.standardize` does) before the
 * step. The 50x target is judged on both.
 *
 * Each of our rows runs in a process of its own (`ownProcess`), as the peers do: sharing the harness's
 * V8 with the other cases and variants made these per-sample steps up to 1.9x slower than in a process
 * training one model.
 */
import { readFileSync } from 'node:fs';
import { childProcess, ownProcess } from '../lib/contestants.mjs';
import { large, LARGE_FEATURES } from '../lib/large.mjs';
import { logregFloor } from '../lib/logreg-floor.mjs';
import { trainerLoops } from '../lib/trainer-loops.mjs';

const LR = 0.01;
const SAMPLES = 100_000;

const SPEC = {
  task: 'binary',
  inputs: LARGE_FEATURES,
  model: { type: 'logistic', dtype: 'float32' },
  loss: { type: 'bce_with_logits' },
  optimizer: { type: 'sgd', lr: LR },
  seed: 1,
};

function logregCase(batch) {
  return {
    name: `logreg-large-b${batch}`,
    title: `logistic regression, ${LARGE_FEATURES} features (large stream), BCE on logits, SGD lr ${LR}, batch ${batch}, float32`,
    unitOfWork: 'steps',
    metric: { unit: 'samples/s', higherIsBetter: true, of: (steps, seconds) => (steps * batch) / seconds },
    initialUnits: Math.max(1, Math.round(200 / batch)),
    targets: [
      { peer: 'river', minSpeedup: 50, text: 'at least 50x River (learn_one per sample), unscaled' },
      { ours: 'ours:scaled', peer: 'river:scaled', minSpeedup: 50, text: "at least 50x River's scaled logistic regression (learn_one), both standardizing" },
      { peer: 'sklearn', minSpeedup: 1, text: "ahead of scikit-learn's partial_fit" },
    ],
    async contestants(ctx) {
      const data = await ctx.loadDataset('large', SAMPLES);
      const peerConfig = JSON.stringify({ data: data.file, samples: SAMPLES, features: LARGE_FEATURES, batch, lr: LR });
      const contestants = [
        ownProcess({
          name: 'ours',
          role: 'ours',
          describe: `createTrainingSetup; trainer.step(assembler.assemble(${batch} examples)), as the pipeline feeds it`,
          module: import.meta.url,
          exportName: 'ourContestant',
          config: { batch, mode: 'assemble' },
        }),
        ownProcess({
          name: 'ours:minibatch',
          role: 'variant',
          describe: 'trainer.step(prebuilt Minibatch): the step without minibatch assembly',
          module: import.meta.url,
          exportName: 'ourContestant',
          config: { batch, mode: 'minibatch' },
        }),
        ownProcess({
          name: 'ours:scaled',
          role: 'variant',
          describe: 'as ours, each sample first standardized by OnlineStandardizer.updateAndTransform (training.standardize)',
          module: import.meta.url,
          exportName: 'ourContestant',
          config: { batch, mode: 'scaled' },
        }),
        ownProcess({
          name: 'js-floor',
          role: 'reference',
          describe: 'the same step hand-written as one plain-JS function (lib/logreg-floor.mjs): the arithmetic alone, no library around it',
          module: import.meta.url,
          exportName: 'ourContestant',
          config: { batch, mode: 'floor' },
        }),
        ...(batch === 1
          ? [
              ownProcess({
                name: 'wasm-step',
                role: 'reference',
                describe: "js-floor's step in WebAssembly (peers/logreg-step.wat), weights resident, each row copied in: the step alone, no library",
                module: import.meta.url,
                exportName: 'ourContestant',
                config: { batch, mode: 'wasm-step' },
              }),
            ]
          : []),
        childProcess({
          name: 'c-floor',
          role: 'reference',
          describe: 'the same step as js-floor in C (peers/logreg.c, cc -O3 -march=native) on the same records: where compiled code is',
          command: () => ctx.compileC('logreg.c', ['-O3', '-march=native']),
          args: [data.file, String(SAMPLES), String(LARGE_FEATURES), String(batch), String(LR)],
        }),
        ownProcess({
          name: 'ours:general',
          role: 'variant',
          describe: 'as ours, with the fused logistic path off (Trainer fuse: false): the general model/loss path',
          module: import.meta.url,
          exportName: 'ourContestant',
          config: { batch, mode: 'assemble', fuse: false },
        }),
        childProcess({
          name: 'river',
          role: 'peer',
          describe: `River linear_model.LogisticRegression(optim.SGD(${LR})), learn_one per sample on dicts`,
          command: ctx.python,
          args: [ctx.peer('river_logreg.py'), peerConfig, 'learn_one'],
        }),
        childProcess({
          name: 'river:scaled',
          role: 'peer',
          describe: `River preprocessing.StandardScaler() | LogisticRegression(optim.SGD(${LR})), learn_one per sample`,
          command: ctx.python,
          args: [ctx.peer('river_logreg.py'), peerConfig, 'learn_one_scaled'],
        }),
      ];
      if (batch > 1) {
        contestants.push(
          childProcess({
            name: 'river:learn_many',
            role: 'reference',
            describe: `the same model, learn_many on one pandas DataFrame of ${batch} rows per step`,
            command: ctx.python,
            args: [ctx.peer('river_logreg.py'), peerConfig, 'learn_many'],
          }),
        );
      }
      contestants.push(
        childProcess({
          name: 'sklearn',
          role: 'peer',
          describe: `scikit-learn SGDClassifier(log_loss, constant eta0 ${LR}), partial_fit per batch of ${batch} (float64 rows)`,
          command: ctx.python,
          args: [ctx.peer('sklearn_logreg.py'), peerConfig],
        }),
      );
      return contestants;
    },
  };
}

/**
 * One of our rows, in its own process (lib/own-process.mjs): the same 100,000 records, regenerated from
 * the stream's generator (deterministic, the same values the peers read from the file).
 */
export async function ourContestant({ batch, mode, fuse = true }) {
  const data = large(SAMPLES);
  if (mode === 'floor') return { run: logregFloor(batchesOfExamples(data, batch), LARGE_FEATURES, LR) };
  if (mode === 'wasm-step') return { run: await wasmStep(data) };
  return ours(data, batch, mode, { fuse });
}

/**
 * The `wasm-step` reference row: peers/logreg-step.wat, assembled here with wabt (the root package's
 * dependency that builds src/kernels), fed one example's row per step as the pipeline would feed it.
 */
async function wasmStep(data) {
  const { default: initWabt } = await import('wabt');
  const wabt = await initWabt();
  const source = readFileSync(new URL('../peers/logreg-step.wat', import.meta.url), 'utf8');
  const parsed = wabt.parseWat('logreg-step.wat', source);
  const { buffer } = parsed.toBinary({});
  parsed.destroy();
  const { instance } = await WebAssembly.instantiate(buffer, { m: { exp: Math.exp, log1p: Math.log1p } });
  const { step, memory } = instance.exports;
  const examples = batchesOfExamples(data, 1).map((examplesOfOne) => examplesOfOne[0]);
  const x = new Float32Array(memory.buffer, 256, LARGE_FEATURES);
  let k = 0;
  return (count) => {
    for (let s = 0; s < count; s++) {
      const example = examples[k];
      x.set(example.x);
      step(LARGE_FEATURES, example.y, LR);
      k = k + 1 === examples.length ? 0 : k + 1;
    }
  };
}

/** The data as arrays of `{x, y, weight}` examples, `batch` to an array, as `ours` is fed. */
function batchesOfExamples(data, batch) {
  const batches = [];
  for (let start = 0; start + batch <= data.n; start += batch) {
    const examples = [];
    for (let i = start; i < start + batch; i++) examples.push({ x: data.x.subarray(LARGE_FEATURES * i, LARGE_FEATURES * (i + 1)), y: data.y[i], weight: 1 });
    batches.push(examples);
  }
  return batches;
}

async function ours(data, batch, mode, { fuse = true } = {}) {
  const { createTrainingSetup } = await import('../../dist/training/setup.js');
  const { Trainer } = await import('../../dist/training/trainer.js');
  const setup = createTrainingSetup(SPEC);
  const { assembler, model } = setup;
  // The same model, optimizer and dropout stream; only the choice of path differs.
  const trainer = fuse
    ? setup.trainer
    : new Trainer({ model, lossConfig: SPEC.loss, optimizer: setup.optimizer, task: SPEC.task, outputKind: setup.outputKind, rng: setup.dropoutRng, fuse: false });
  const batches = batchesOfExamples(data, batch);
  // Built through the assembler once, then copied: assemble() reuses its buffers between calls.
  const minibatches = batches.map((examples) => {
    const assembled = assembler.assemble(examples);
    return { size: batch, x: assembled.x.slice(), targets: assembled.targets.slice(), weights: null };
  });
  const steps = {
    ...trainerLoops(trainer, assembler, batches, minibatches),
    scaled: await scaledLoop(trainer, assembler, batches),
  };
  return { info: { parameters: model.parameterCount() }, run: steps[mode] };
}

/**
 * The pipeline's order per sample: standardize its raw features into the sample's own buffer (update
 * the statistics, then transform), then assemble the batch and step.
 */
async function scaledLoop(trainer, assembler, batches) {
  const { OnlineStandardizer } = await import('../../dist/pipeline/welford.js');
  const standardizer = new OnlineStandardizer(LARGE_FEATURES);
  const size = batches[0].length;
  const samples = Array.from({ length: size }, () => ({ x: new Float32Array(LARGE_FEATURES), y: 0, weight: 1 }));
  let k = 0;
  return (count) => {
    for (let s = 0; s < count; s++) {
      const raw = batches[k];
      for (let r = 0; r < size; r++) {
        standardizer.updateAndTransform(raw[r].x, samples[r].x);
        samples[r].y = raw[r].y;
      }
      trainer.step(assembler.assemble(samples));
      k = k + 1 === batches.length ? 0 : k + 1;
    }
  };
}

export const logregLargeB1 = logregCase(1);
export const logregLargeB32 = logregCase(32);
