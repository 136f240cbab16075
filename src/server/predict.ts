/**
 * Inference with the learner's current model: standardize with the running statistics (transform only:
 * a prediction request never updates them, so serving cannot shift training), then model.predict
 * (inference forward: no dropout).
 *
 * Consistency: Node runs one piece of JavaScript at a time, and a training step (assembly, forward,
 * backward, optimizer update) is one synchronous call, as is this function from the first read of the
 * standardizer to the copy of the outputs. So a prediction sees the model either before or after a
 * whole step, never half of one, and standardizer and parameters always belong to the same moment.
 * The outputs are copied out before returning because the model reuses its output buffer.
 *
 * What the outputs mean follows the loss (training/setup.ts):
 *   values          regression: the values
 *   probabilities   the model's sigmoid / softmax head: the probabilities
 *   logits          sigmoid (one output) / softmax of the logits: probabilities
 *   scores          multiclass hinge: raw scores; no probabilities exist
 * The class is argmax, or for one output p >= 0.5 (score >= 0): the rule prequential accuracy uses.
 */
import { softmaxRows } from '../math/softmax.js';
import type { Tensor } from '../math/tensor.js';
import type { Learner } from '../pipeline/learner.js';

export type Prediction =
  | { readonly values: number[] }
  | { readonly classIndex: number; readonly class?: string; readonly probabilities: number[] }
  | { readonly classIndex: number; readonly class?: string; readonly scores: number[] };

/** Standardizes `x` in place, then predicts each of its `rows`. Synchronous by design (see above). */
export function predictRows(learner: Learner, x: Tensor, rows: number): Prediction[] {
  const { model, outputKind } = learner.setup;
  const standardizer = learner.standardizer;
  if (standardizer !== null) {
    const n = model.inputs;
    for (let r = 0; r < rows; r++) {
      const row = x.subarray(r * n, (r + 1) * n);
      standardizer.transform(row, row);
    }
  }
  const C = model.outputs;
  const outputs = Float64Array.from(model.predict(x, rows).subarray(0, rows * C));
  if (outputKind === 'values') return rowsOf(outputs, rows, C).map((values) => ({ values }));
  if (outputKind === 'logits') {
    if (C === 1) for (let i = 0; i < rows; i++) outputs[i] = 1 / (1 + Math.exp(-outputs[i]));
    else softmaxRows(rows, C, outputs, outputs);
  }
  const names = learner.config.schema.classes;
  return rowsOf(outputs, rows, C).map((row) => {
    const classIndex = C === 1 ? (row[0] >= (outputKind === 'scores' ? 0 : 0.5) ? 1 : 0) : argmax(row);
    const named = names === undefined ? {} : { class: names[classIndex] };
    if (outputKind === 'scores') return { classIndex, ...named, scores: row };
    return { classIndex, ...named, probabilities: C === 1 ? [1 - row[0], row[0]] : row };
  });
}

function rowsOf(values: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from(values.subarray(r * cols, (r + 1) * cols)));
}

function argmax(row: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}
