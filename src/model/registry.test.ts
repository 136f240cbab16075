import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { createModel } from './registry.js';
import type { ModelConfig } from './types.js';

function rejects(config: unknown, message: string): void {
  expect(() => createModel(config as ModelConfig)).toThrow(ConfigError);
  expect(() => createModel(config as ModelConfig)).toThrow(message);
}

describe('createModel', () => {
  it('builds each model type with the documented defaults', () => {
    const linear = createModel({ type: 'linear', inputs: 3 });
    expect([linear.type, linear.dtype, linear.inputs, linear.outputs]).toEqual(['linear', 'float32', 3, 1]);
    expect(linear.params['dense0.weight']).toBeInstanceOf(Float32Array);

    const logistic = createModel({ type: 'logistic', inputs: 4, dtype: 'float64' });
    expect([logistic.outputs, logistic.dtype]).toEqual([1, 'float64']);
    // Default sigmoid output: a zero-initialized logistic model predicts 0.5.
    const zeroLogistic = createModel({ type: 'logistic', inputs: 2, init: 'zeros' });
    expect(Array.from(zeroLogistic.predict(Float32Array.from([1, 2]), 1))).toEqual([0.5]);

    // Default softmax output: a zero-initialized softmax model predicts uniform probabilities.
    const softmax = createModel({ type: 'softmax', inputs: 2, classes: 4, init: 'zeros' });
    expect(Array.from(softmax.predict(Float32Array.from([1, 2]), 1))).toEqual([0.25, 0.25, 0.25, 0.25]);

    const mlp = createModel({ type: 'mlp', inputs: 2, hidden: [100], outputs: 3 });
    expect(Object.keys(mlp.params)).toEqual(['dense0.weight', 'dense0.bias', 'dense1.weight', 'dense1.bias']);
    expect(mlp.params['dense0.weight'].length).toBe(100 * 2);
    expect(mlp.params['dense1.weight'].length).toBe(3 * 100);
    expect(mlp.parameterCount()).toBe(200 + 100 + 300 + 3);
    expect(Object.keys(mlp.grads)).toEqual(Object.keys(mlp.params));
  });

  it('names the field, the value and the rule in config errors', () => {
    rejects(null, 'model must be an object with a type, got null');
    rejects({ type: 'tree', inputs: 2 }, "model.type must be one of linear, logistic, softmax, mlp, got 'tree'");
    rejects({ type: 'linear', inputs: 0 }, 'model.inputs must be an integer >= 1, got 0');
    rejects({ type: 'linear', inputs: 2.5 }, 'model.inputs must be an integer >= 1, got 2.5');
    rejects({ type: 'linear', inputs: 2, outputs: -1 }, 'model.outputs must be an integer >= 1, got -1');
    rejects({ type: 'linear', inputs: 2, dtype: 'float16' }, "model.dtype must be one of float32, float64, got 'float16'");
    rejects(
      { type: 'linear', inputs: 2, init: 'glorot' },
      "model.init must be one of xavier_uniform, he_uniform, he_normal, zeros, torch_default, got 'glorot'",
    );
    rejects(
      { type: 'linear', inputs: 2, hiden: [3] },
      "model.hiden is not a field of a 'linear' model (fields: type, inputs, outputs, dtype, init)",
    );
    rejects(
      { type: 'logistic', inputs: 2, output: 'softmax' },
      "model.output of a logistic model must be 'sigmoid' or 'identity', got 'softmax'",
    );
    rejects({ type: 'softmax', inputs: 2, classes: 1 }, 'model.classes must be an integer >= 2, got 1');
    rejects({ type: 'softmax', inputs: 2 }, 'model.classes must be an integer >= 2, got undefined');
  });

  it('validates mlp layers, activation, output and dropout', () => {
    const mlp = { type: 'mlp', inputs: 2, hidden: [4, 3], outputs: 2 };
    rejects({ ...mlp, hidden: 4 }, 'model.hidden must be an array of layer sizes, got 4');
    rejects({ ...mlp, hidden: [4, 0] }, 'model.hidden[1] must be an integer >= 1, got 0');
    rejects({ ...mlp, outputs: undefined }, 'model.outputs must be an integer >= 1, got undefined');
    rejects({ ...mlp, activation: 'gelu' }, "model.activation must be one of identity, relu, tanh, sigmoid, got 'gelu'");
    rejects({ ...mlp, output: 'relu' }, "model.output must be one of identity, sigmoid, softmax, got 'relu'");
    rejects({ ...mlp, outputs: 1, output: 'softmax' }, "model.output 'softmax' needs at least 2 outputs, got 1");
    rejects({ ...mlp, dropout: 1 }, 'model.dropout must be a number in [0, 1), got 1');
    rejects({ ...mlp, dropout: -0.1 }, 'model.dropout must be a number in [0, 1), got -0.1');
    rejects({ ...mlp, dropout: [0.5] }, 'model.dropout must have one probability per hidden layer (2), got 1: [0.5]');
    rejects({ ...mlp, dropout: [0.5, Number.NaN] }, 'model.dropout[1] must be a number in [0, 1), got NaN');
  });

  it('accepts an mlp without hidden layers (a single dense layer)', () => {
    const model = createModel({ type: 'mlp', inputs: 3, hidden: [], outputs: 2, dropout: 0.5 });
    expect(Object.keys(model.params)).toEqual(['dense0.weight', 'dense0.bias']);
  });
});
