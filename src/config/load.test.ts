import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig, parseYaml, resolveConfig } from './load.js';
import type { ResolveConfigOptions } from './load.js';

const file = (values: unknown, label = 'learner.yaml'): ResolveConfigOptions['file'] => ({ values, label });

function errorOf(options: ResolveConfigOptions): string {
  try {
    resolveConfig(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig: defaults and precedence', () => {
  it('gives the documented defaults for an empty config', () => {
    expect(resolveConfig()).toEqual({
      source: { type: 'embedded', stream: 'statsville', maxRecordBytes: 1048576 },
      model: { type: 'linear', activation: 'relu', dropout: 0, init: 'xavier_uniform', dtype: 'float32' },
      optimizer: { type: 'adam', lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false },
      schedule: { type: 'constant' },
      regularization: { l1: 0, l1Mode: 'proximal', l2: 0, excludeBiases: false, clipGradNorm: 0 },
      training: { batchSize: 32, shuffleBuffer: 1000, maxWaitMs: 1000, seed: 0, standardize: true },
      server: { enabled: true, host: '127.0.0.1', port: 9464 },
      metrics: { qualityWindow: 1000, lossHalfLifeSteps: 100, maxPerElementSeries: 1000 },
      deadLetter: {},
      checkpoint: { everySteps: 1000, everySeconds: 60, keep: 3, reset: false },
    });
  });

  it('takes flags over env over file over defaults, field by field', () => {
    const yaml = file({ optimizer: { type: 'adam', lr: 0.1, eps: 1e-6 } });
    const env = { ONLINE_LEARNER_OPTIMIZER_LR: '0.2' };
    const flags = { 'optimizer.lr': '0.3' };
    expect(resolveConfig({ file: yaml, env, flags }).optimizer).toMatchObject({ lr: 0.3, eps: 1e-6 });
    expect(resolveConfig({ file: yaml, env }).optimizer).toMatchObject({ lr: 0.2, eps: 1e-6 });
    expect(resolveConfig({ file: yaml }).optimizer).toMatchObject({ lr: 0.1, eps: 1e-6 });
  });

  it('reads a YAML key without a value as not set', () => {
    expect(resolveConfig({ file: file(parseYaml('loss:\nschema:\ntraining:\n  batchSize:\n', 'x.yaml')) }).training.batchSize).toBe(32);
  });

  it('applies a lone field to the default variant of a union section', () => {
    expect(resolveConfig({ env: { ONLINE_LEARNER_OPTIMIZER_LR: '0.05' } }).optimizer).toMatchObject({ type: 'adam', lr: 0.05 });
  });

  it('replaces a union section whose type a higher layer changes (no adam fields leak into sgd)', () => {
    const config = resolveConfig({
      file: file({ optimizer: { type: 'adam', betas: [0.8, 0.9] } }),
      flags: { 'optimizer.type': 'sgd', 'optimizer.lr': 0.1 },
    });
    expect(config.optimizer).toEqual({ type: 'sgd', lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 });
  });

  it("keeps a union section's fields from a layer without a type when a higher layer sets the type", () => {
    const config = resolveConfig({
      env: { ONLINE_LEARNER_SOURCE_SASL_PASSWORD: 's3cret' },
      flags: { 'source.type': 'kafka', 'source.brokers': 'b:9092', 'source.topic': 't', 'source.sasl.mechanism': 'plain', 'source.sasl.username': 'u' },
    });
    expect(config.source).toMatchObject({ type: 'kafka', sasl: { mechanism: 'plain', username: 'u', password: 's3cret' } });
  });

  it('coerces env and flag strings to each field type: lists, tuples, booleans, unions', () => {
    const config = resolveConfig({
      env: {
        ONLINE_LEARNER_SOURCE_TYPE: 'kafka',
        ONLINE_LEARNER_SOURCE_BROKERS: 'a:9092, b:9093',
        ONLINE_LEARNER_SOURCE_TOPIC: 'samples',
        ONLINE_LEARNER_SOURCE_FROM_BEGINNING: 'yes',
        ONLINE_LEARNER_OPTIMIZER_BETAS: '0.8,0.99',
        ONLINE_LEARNER_SCHEMA_FEATURES: 'height,weight',
        ONLINE_LEARNER_SCHEMA_TASK: 'multiclass',
        ONLINE_LEARNER_SCHEMA_CLASSES: '["man", "woman", "child"]',
        ONLINE_LEARNER_TRAINING_MAX_WAIT_MS: '250',
        HOME: '/ignored',
      },
      flags: { 'model.type': 'mlp', 'model.hidden': '16,8', 'model.dropout': '0.1', training: { seed: '7' } },
    });
    expect(config.source).toMatchObject({ type: 'kafka', brokers: ['a:9092', 'b:9093'], topic: 'samples', fromBeginning: true });
    expect(config.optimizer).toMatchObject({ betas: [0.8, 0.99] });
    expect(config.schema).toEqual({ features: ['height', 'weight'], task: 'multiclass', classes: ['man', 'woman', 'child'], unknownFeatures: 'reject', maxWeight: 1e6 });
    expect(config.model).toMatchObject({ type: 'mlp', hidden: [16, 8], dropout: 0.1 });
    expect(config.training).toMatchObject({ maxWaitMs: 250, seed: 7 });
    expect(resolveConfig({ env: { ONLINE_LEARNER_SCHEMA_FEATURES: '3', ONLINE_LEARNER_SCHEMA_TASK: 'binary' } }).schema?.features).toBe(3);
  });
});

describe('resolveConfig: error messages name the field, the value, the rule and the origin', () => {
  it('a value out of range', () => {
    expect(errorOf({ env: { ONLINE_LEARNER_OPTIMIZER_LR: '-0.1' } })).toBe(
      'optimizer.lr: -0.1 is invalid: must be >= 0 (from ONLINE_LEARNER_OPTIMIZER_LR)',
    );
    expect(errorOf({ flags: { 'optimizer.betas': '0.9,1' } })).toBe(
      'optimizer.betas[1]: 1 is invalid: must be < 1 (from --optimizer.betas)',
    );
    expect(errorOf({ file: file({ training: { batchSize: 2.5 } }) })).toBe(
      'training.batchSize: 2.5 is invalid: expected integer >= 1 (from learner.yaml)',
    );
  });

  it('a string where a number is expected', () => {
    expect(errorOf({ env: { ONLINE_LEARNER_TRAINING_BATCH_SIZE: 'ten' } })).toBe(
      'training.batchSize: "ten" is invalid: expected integer >= 1 (from ONLINE_LEARNER_TRAINING_BATCH_SIZE)',
    );
  });

  it('a misspelt choice, with a suggestion', () => {
    expect(errorOf({ file: file({ model: { type: 'mpl' } }) })).toBe(
      'model.type: "mpl" is invalid: must be one of linear, logistic, softmax, mlp (from learner.yaml)\n  hint: did you mean "mlp"?',
    );
    expect(errorOf({ flags: { 'optimizer.type': 'adamx' } })).toBe(
      'optimizer.type: "adamx" is invalid: must be one of sgd, adagrad, rmsprop, adam, adamw (from --optimizer.type)\n  hint: did you mean "adam"?',
    );
  });

  it('an unknown field, listing the fields of that variant', () => {
    expect(errorOf({ file: file({ optimizer: { type: 'sgd', lr: 0.1, momentm: 0.9 } }) })).toBe(
      'optimizer.momentm: unknown field for sgd (from learner.yaml)\n' +
        '  hint: did you mean "momentum"? fields of sgd: type, lr, momentum, dampening, nesterov, weightDecay',
    );
    expect(errorOf({ file: file({ trainig: {} }) })).toMatch(/^trainig: unknown field \(from learner.yaml\)\n {2}hint: did you mean "training"\?/);
  });

  it('a missing required field, saying how to set it', () => {
    expect(errorOf({ flags: { 'optimizer.type': 'sgd' } })).toBe(
      'optimizer.lr: missing: required for sgd\n  hint: set it in the config file, with ONLINE_LEARNER_OPTIMIZER_LR or with --optimizer.lr',
    );
    expect(errorOf({ file: file({ loss: { reduction: 'sum' } }) })).toBe(
      'loss.type: missing: must be one of mse, bce, bce_with_logits, cross_entropy, softmax_cross_entropy, focal, multiclass_hinge',
    );
  });

  it('unknown variables and flags, with a suggestion', () => {
    expect(errorOf({ env: { ONLINE_LEARNER_OPTIMZER_LR: '0.1' } })).toBe(
      'ONLINE_LEARNER_OPTIMZER_LR is not a setting; did you mean ONLINE_LEARNER_OPTIMIZER_LR?',
    );
    expect(errorOf({ flags: { 'training.batchsize': 8 } })).toBe('--training.batchsize is not a setting; did you mean --training.batchSize?');
  });

  it('cross-field rules: Nesterov, loss and task, model and loss, class weights, dead letters, schedule', () => {
    expect(errorOf({ flags: { 'optimizer.type': 'sgd', 'optimizer.lr': 0.1, 'optimizer.nesterov': true } })).toBe(
      'optimizer.nesterov: true is invalid: Nesterov momentum needs momentum > 0 and dampening 0 (as torch.optim.SGD) (from --optimizer.nesterov)',
    );
    const regression = { features: 2, task: 'regression' };
    expect(errorOf({ file: file({ schema: regression, loss: { type: 'bce_with_logits' } }) })).toBe(
      "loss.type: 'bce_with_logits' is invalid: a binary loss cannot train a regression task (use mse) (from learner.yaml)",
    );
    const statsville = { features: ['h', 'w'], task: 'multiclass', classes: ['man', 'woman', 'child'] };
    expect(errorOf({ file: file({ schema: statsville, model: { type: 'logistic' }, loss: { type: 'softmax_cross_entropy', classWeights: [1, 2] } }) })).toBe(
      'loss.classWeights: has 2 weights for 3 classes: give one per class (from learner.yaml)\n' +
        "model.type: 'logistic' has one output but loss 'softmax_cross_entropy' needs one per class: use 'softmax' (from learner.yaml)",
    );
    expect(errorOf({ file: file({ model: { type: 'linear', hidden: [10] } }) })).toBe(
      "model.hidden: is set but model.type is 'linear': only mlp has hidden layers (from learner.yaml)",
    );
    expect(errorOf({ file: file({ deadLetter: { path: 'dlq.jsonl', topic: 'dlq' } }) })).toBe(
      'deadLetter: sets both path and topic: choose one (from learner.yaml)\n' +
        "deadLetter.topic: 'dlq' is invalid: a dead-letter topic needs a kafka source (use deadLetter.path) (from learner.yaml)",
    );
    expect(errorOf({ file: file({ optimizer: { type: 'sgd', lr: 0.01 }, schedule: { type: 'cosine', tMax: 100, etaMin: 0.1 } }) })).toBe(
      'schedule.etaMin: 0.1 is invalid: must be <= optimizer.lr (0.01), the rate it anneals from (from learner.yaml)',
    );
  });

  it('record schema rules and a refinement inside a section', () => {
    expect(errorOf({ file: file({ schema: { features: ['a', 'a'], task: 'binary', classes: ['x'] } }) })).toBe(
      "schema.features[1]: 'a' is a duplicate: names must be unique (from learner.yaml)\n" +
        'schema.classes: has 1 names: binary needs exactly 2 (negative, positive) (from learner.yaml)',
    );
    expect(errorOf({ file: file({ loss: { type: 'focal', alpha: 2 } }) })).toBe(
      'loss.alpha: 2 is invalid: must be in [0, 1], or -1 for no class weighting (from learner.yaml)',
    );
  });

  it('lists every problem at once, and never prints a secret', () => {
    const message = errorOf({
      file: file({ source: { type: 'kafka', brokers: ['nohost'], topic: 't', sasl: { mechanism: 'plain', username: 'u', password: 5 } } }),
      env: { ONLINE_LEARNER_SERVER_PORT: '70000' },
    });
    expect(message.split('\n')).toEqual([
      'source.brokers[0]: "nohost" is invalid: must be host:port (from learner.yaml)',
      'source.sasl.password: <redacted> is invalid: expected string (from learner.yaml)',
      'server.port: 70000 is invalid: must be <= 65535 (from ONLINE_LEARNER_SERVER_PORT)',
    ]);
  });

  it('refuses prototype keys in a file', () => {
    expect(errorOf({ file: file(parseYaml('training:\n  __proto__: {batchSize: 1}\n', 'x.yaml')) })).toBe(
      "training.__proto__: '__proto__' is not allowed as a key",
    );
  });
});

describe('loadConfig and parseYaml', () => {
  it('reads the YAML file named by ONLINE_LEARNER_CONFIG, under env and flags', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'config-'));
    try {
      const path = join(dir, 'learner.yaml');
      await writeFile(path, 'optimizer:\n  type: sgd\n  lr: 0.02\ntraining:\n  batchSize: 10\n');
      const config = await loadConfig({ env: { ONLINE_LEARNER_CONFIG: path, ONLINE_LEARNER_TRAINING_BATCH_SIZE: '20' }, flags: {} });
      expect(config.optimizer).toMatchObject({ type: 'sgd', lr: 0.02 });
      expect(config.training.batchSize).toBe(20);
      await expect(loadConfig({ path: join(dir, 'missing.yaml'), env: {} })).rejects.toThrow('missing.yaml: cannot read the config file (ENOENT)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports YAML syntax errors with their position, and documents that are not mappings', () => {
    expect(() => parseYaml('training:\n  batchSize: [1,\n', 'bad.yaml')).toThrow(/^bad\.yaml: .*line 3/s);
    expect(() => parseYaml('a: 1\na: 2\n', 'dup.yaml')).toThrow(/dup\.yaml: Map keys must be unique/);
    expect(() => parseYaml('- 1\n- 2\n', 'list.yaml')).toThrow('list.yaml: the document must be a mapping of sections, got a list');
    expect(parseYaml('', 'empty.yaml')).toEqual({});
  });
});
