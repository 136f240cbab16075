/**
 * Finite-difference checks in float64: for f(θ) = Σ c ⊙ model(x) with a fixed c, backward(c) must equal the
 * central difference (f(θ + h e_i) - f(θ - h e_i)) / 2h for every scalar parameter. The truncation error is
 * O(h²·f''') ~ 1e-12 and rounding O(ε·|f|/h) ~ 1e-10 for h = 1e-6, far inside the 1e-6 tolerance.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import { createModel } from './registry.js';
import type { Activation, Model, ModelConfig, OutputActivation } from './types.js';

const H = 1e-6;
const BATCH = 5;

function normals(seed: number, length: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.normal();
  return out;
}

/** Every forward of the check uses a fresh Rng(7), so dropout draws the same mask each time. */
function checkGradients(config: ModelConfig, options: { dropoutSeed?: number } = {}): void {
  // torch_default draws non-zero biases, so no unit starts symmetric or dead by construction.
  const model: Model = createModel({ ...config, dtype: 'float64', init: 'torch_default' } as ModelConfig, { seed: 11 });
  const x = normals(1, BATCH * model.inputs);
  const c = normals(2, BATCH * model.outputs);
  const forwardOptions = () =>
    options.dropoutSeed === undefined ? { training: true } : { training: true, rng: new Rng(options.dropoutSeed) };
  const f = (): number => {
    const y = model.forward(x, BATCH, forwardOptions());
    let s = 0;
    for (let i = 0; i < y.length; i++) s += c[i] * y[i];
    return s;
  };

  f();
  // Copies: the finite-difference forwards below must not be able to change what is compared.
  const analytic = Object.fromEntries(
    Object.entries(model.backward(c)).map(([name, grad]) => [name, Float64Array.from(grad)]),
  );

  for (const [name, param] of Object.entries(model.params)) {
    for (let i = 0; i < param.length; i++) {
      const saved = param[i];
      param[i] = saved + H;
      const up = f();
      param[i] = saved - H;
      const down = f();
      param[i] = saved;
      const numeric = (up - down) / (2 * H);
      const error = Math.abs(numeric - analytic[name][i]);
      if (error > 1e-7 + 1e-6 * Math.abs(numeric)) {
        expect.fail(`${name}[${i}]: backward ${analytic[name][i]}, finite difference ${numeric}`);
      }
    }
  }
}

const ACTIVATIONS: Activation[] = ['identity', 'relu', 'tanh', 'sigmoid'];
const OUTPUTS: OutputActivation[] = ['identity', 'sigmoid', 'softmax'];

describe('backward equals finite differences', () => {
  it('linear regression (identity output, 2 outputs)', () => {
    checkGradients({ type: 'linear', inputs: 3, outputs: 2 });
  });

  it('logistic regression with sigmoid output and with logits', () => {
    checkGradients({ type: 'logistic', inputs: 4 });
    checkGradients({ type: 'logistic', inputs: 4, output: 'identity' });
  });

  for (const output of OUTPUTS) {
    it(`softmax regression, ${output} output`, () => {
      checkGradients({ type: 'softmax', inputs: 4, classes: 3, output });
    });
  }

  for (const activation of ACTIVATIONS) {
    for (const output of OUTPUTS) {
      it(`mlp 3-4-5-3, ${activation} hidden, ${output} output`, () => {
        checkGradients({ type: 'mlp', inputs: 3, hidden: [4, 5], outputs: 3, activation, output });
      });
    }
  }

  it('mlp with dropout in training (same mask for every evaluation)', () => {
    checkGradients(
      { type: 'mlp', inputs: 3, hidden: [6, 5], outputs: 2, activation: 'tanh', dropout: [0.5, 0.3], output: 'softmax' },
      { dropoutSeed: 7 },
    );
  });
});
