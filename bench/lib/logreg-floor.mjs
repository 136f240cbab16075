/**
 * The floor of plain JavaScript for the logreg cases: one hand-written function doing what a Trainer
 * step does for logistic regression with SGD (no momentum) at float32, with nothing general around it:
 * copy the batch's rows out of its examples, z = x·w + b summed in float64 in feature order (the order
 * torch parity and our kernels keep), the BCE-with-logits loss and dL/dz, the weight and bias gradients,
 * the gradient-norm guard, prequential accuracy and log-loss over a 1,000-sample window, and the update.
 * Same data, same arithmetic, same order as `ours`; no model, loss or optimizer objects, no checks.
 * It is a reference row: how much of ours is the arithmetic itself, and how much is the library.
 */

const WINDOW = 1000;
const LOG_LOSS_CAP = -Math.log(1e-15);

export function logregFloor(batches, features, lr) {
  const size = batches[0].length;
  const w = new Float32Array(features);
  const b = new Float32Array(1);
  const gw = new Float32Array(features);
  const gb = new Float32Array(1);
  const x = new Float32Array(size * features);
  const z = new Float32Array(size);
  const g = new Float32Array(size);
  const rowLoss = new Float64Array(size);
  const hits = new Float64Array(WINDOW);
  const losses = new Float64Array(WINDOW);
  // The running figures live in a typed array, not in `let` variables: a double in a variable that a
  // closure captures and keeps changing is a heap number, allocated anew on every write, which made an
  // earlier version of this floor 3-4x slower than its arithmetic.
  const acc = new Float64Array(4); // hitSum, lossSum, correct, logLoss
  const ring = new Int32Array(1); // the window's next slot

  function step(examples) {
    const n = examples.length;
    for (let r = 0; r < n; r++) {
      const row = examples[r].x;
      const o = r * features;
      x.set(row, o);
    }
    let sum = 0;
    for (let r = 0; r < n; r++) {
      const o = r * features;
      let s = 0;
      for (let p = 0; p < features; p++) s += x[o + p] * w[p];
      z[r] = s + b[0];
      const zr = z[r];
      const y = examples[r].y;
      // One exponential for the loss and its gradient, as src/losses/logistic.ts.
      const e = Math.exp(-Math.abs(zr));
      const l = (1 - y) * zr - (Math.min(zr, 0) - Math.log1p(e));
      rowLoss[r] = l;
      sum += l;
      g[r] = ((zr >= 0 ? 1 / (1 + e) : e / (1 + e)) - y) / n;
    }
    for (let p = 0; p < features; p++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += g[r] * x[r * features + p];
      gw[p] = s;
    }
    let sb = 0;
    for (let r = 0; r < n; r++) sb += g[r];
    gb[0] = sb;
    let squares = 0;
    for (let p = 0; p < features; p++) squares += gw[p] * gw[p];
    squares += gb[0] * gb[0];
    if (!Number.isFinite(Math.sqrt(squares))) return Number.NaN;
    for (let r = 0; r < n; r++) {
      const y = examples[r].y;
      const hit = (z[r] >= 0 ? 1 : 0) === y ? 1 : 0;
      // The row's log-loss is its loss (a hard 0/1 label), clipped as the quality tracker clips it.
      const l = Math.min(Math.max(rowLoss[r], 0), LOG_LOSS_CAP);
      const slot = ring[0];
      acc[2] += hit;
      acc[3] += l;
      acc[0] += hit - hits[slot];
      acc[1] += l - losses[slot];
      hits[slot] = hit;
      losses[slot] = l;
      ring[0] = slot + 1 === WINDOW ? 0 : slot + 1;
    }
    for (let p = 0; p < features; p++) w[p] = w[p] - lr * gw[p];
    b[0] = b[0] - lr * gb[0];
    return sum / n;
  }

  let k = 0;
  return (count) => {
    for (let s = 0; s < count; s++) {
      step(batches[k]);
      k = k + 1 === batches.length ? 0 : k + 1;
    }
  };
}
