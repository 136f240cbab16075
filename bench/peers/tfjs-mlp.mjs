/**
 * tfjs peer of cases/mlp-statsville.mjs and cases/mlp-784.mjs: the same inputs -> hidden -> classes MLP
 * (Glorot-uniform weights, zero biases), softmax cross-entropy, Adam, one minibatch per step. This is
 * tfjs's leanest training loop (optimizer.minimize over raw ops, no tf.layers overhead); each step
 * uploads its batch like ours assembles it. `inputs` and `classes` default to Statsville's 2 and 3.
 * Usage: node tfjs-mlp.mjs '<config json>' wasm|cpu
 */
import { serve } from './protocol.mjs';
import { loadTfjs, readDataset } from './tfjs-common.mjs';

serve(async ({ data, samples, batch, hidden, lr, inputs = 2, classes = 3 }) => {
  const { tf, info } = await loadTfjs(process.argv[3]);
  const { x, y } = readDataset(data, samples, inputs);
  const oneHot = new Float32Array(samples * classes);
  for (let i = 0; i < samples; i++) oneHot[i * classes + y[i]] = 1;
  const glorot = (fanIn, fanOut) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.variable(tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', 1));
  };
  const w1 = glorot(inputs, hidden);
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = glorot(hidden, classes);
  const b2 = tf.variable(tf.zeros([classes]));
  const variables = [w1, b1, w2, b2];
  const optimizer = tf.train.adam(lr);
  const batches = Math.floor(samples / batch);
  let k = 0;
  return {
    info,
    run(steps) {
      for (let s = 0; s < steps; s++) {
        const start = k * batch;
        tf.tidy(() => {
          const xb = tf.tensor2d(x.subarray(inputs * start, inputs * (start + batch)), [batch, inputs]);
          const yb = tf.tensor2d(oneHot.subarray(classes * start, classes * (start + batch)), [batch, classes]);
          optimizer.minimize(
            () => {
              const h = tf.relu(tf.add(tf.matMul(xb, w1), b1));
              return tf.losses.softmaxCrossEntropy(yb, tf.add(tf.matMul(h, w2), b2));
            },
            false,
            variables,
          );
        });
        k = k + 1 === batches ? 0 : k + 1;
      }
    },
  };
});
