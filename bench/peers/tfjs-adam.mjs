/**
 * tfjs peer of cases/adam-4m.mjs: tf.train.adam applying a fixed gradient to one float32 variable of
 * n parameters (tfjs runs the update as a chain of element-wise kernels). Usage:
 * node tfjs-adam.mjs '<config json>' wasm|cpu
 */
import { serve } from './protocol.mjs';
import { loadTfjs } from './tfjs-common.mjs';

serve(async ({ parameters, lr }) => {
  const { tf, info } = await loadTfjs(process.argv[3]);
  const weights = tf.variable(tf.randomUniform([parameters], -0.1, 0.1, 'float32', 1), true, 'w');
  const grad = tf.randomUniform([parameters], -0.01, 0.01, 'float32', 2);
  const optimizer = tf.train.adam(lr, 0.9, 0.999, 1e-8);
  return {
    info: { ...info, parameters: weights.size },
    run(steps) {
      for (let s = 0; s < steps; s++) optimizer.applyGradients({ w: grad });
    },
  };
});
