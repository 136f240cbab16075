/**
 * The timed loops shared by the trainer cases: `assemble` builds each minibatch from examples (what the
 * pipeline does), `minibatch` feeds prebuilt minibatches (isolates the assembly cost). Both cycle over
 * their batches; `count` steps per call.
 */
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
