/**
 * The timed loops shared by the trainer cases, over one data set cut into batches (`batchesOf`):
 * `assemble` builds each minibatch from examples (what the pipeline does), `minibatch` feeds prebuilt
 * minibatches (isolates the assembly cost), `core` calls model, loss and optimizer directly (no Trainer
 * bookkeeping). Each cycles over its batches; `count` steps per call.
 */

/** `data` = { n, x (n x inputs, row-major), y }: example arrays and prebuilt Minibatch views, batch by batch. */
export function batchesOf(data, inputs, batchSize) {
  const batches = [];
  const minibatches = [];
  for (let start = 0; start + batchSize <= data.n; start += batchSize) {
    const examples = [];
    for (let i = start; i < start + batchSize; i++) examples.push({ x: data.x.subarray(inputs * i, inputs * (i + 1)), y: data.y[i], weight: 1 });
    batches.push(examples);
    minibatches.push({ size: batchSize, x: data.x.subarray(inputs * start, inputs * (start + batchSize)), targets: data.y.subarray(start, start + batchSize), weights: null });
  }
  return { batches, minibatches };
}

export function trainerLoops(trainer, assembler, batches, minibatches) {
  let k = 0;
  return {
    assemble: (count) => {
      for (let s = 0; s < count; s++) {
        trainer.step(assembler.assemble(batches[k]));
        k = k + 1 === batches.length ? 0 : k + 1;
      }
    },
    minibatch: (count) => {
      for (let s = 0; s < count; s++) {
        trainer.step(minibatches[k]);
        k = k + 1 === minibatches.length ? 0 : k + 1;
      }
    },
  };
}

/** model.forward, loss.compute, model.backward, optimizer.step on prebuilt minibatches. */
export function coreLoop(model, loss, optimizer, minibatches) {
  let k = 0;
  return (count) => {
    for (let s = 0; s < count; s++) {
      const batch = minibatches[k];
      const scores = model.forward(batch.x, batch.size);
      const { grad } = loss.compute(scores, batch.targets, batch.size);
      optimizer.step(model.params, model.backward(grad));
      k = k + 1 === minibatches.length ? 0 : k + 1;
    }
  };
}
