import { describe, expect, it } from 'vitest';
import { createLoss } from '../losses/registry.js';
import { ACTIVATIONS, DTYPES, INITIALIZERS } from '../model/validate.js';
import { MODEL_TYPES } from '../model/registry.js';
import { createOptimizer } from '../optim/registry.js';
import { RECORD_FORMATS } from '../pipeline/decode-record.js';
import { Learner } from '../pipeline/learner.js';
import { decodeOptionsOf, learnerConfigOf, lossConfigOf, optimizerConfigOf } from './assemble.js';
import { resolveConfig } from './load.js';
import { ACTIVATION_NAMES, DTYPE_NAMES, INITIALIZER_NAMES, MODEL_TYPE_NAMES } from './sections/model.js';
import { RECORD_FORMAT_NAMES } from './sections/source.js';

describe('from config to the core factories', () => {
  it('builds every optimizer the schema allows, with its defaults', () => {
    for (const type of ['adagrad', 'rmsprop', 'adam', 'adamw', 'sgd']) {
      const config = resolveConfig({ flags: { 'optimizer.type': type, 'optimizer.lr': 0.05 } });
      expect(createOptimizer(optimizerConfigOf(config)).currentLr()).toBe(0.05);
    }
  });

  it('folds a schedule into lr, and keeps a constant one a number', () => {
    const stepped = resolveConfig({ flags: { 'optimizer.type': 'sgd', 'optimizer.lr': 0.1, 'schedule.type': 'step', 'schedule.stepSize': 2 } });
    expect(optimizerConfigOf(stepped)).toEqual({
      type: 'sgd',
      lr: { type: 'step', lr: 0.1, stepSize: 2, gamma: 0.1 },
      momentum: 0,
      dampening: 0,
      nesterov: false,
      weightDecay: 0,
    });
    expect(createOptimizer(optimizerConfigOf(stepped)).currentLr()).toBe(0.1);
    expect(optimizerConfigOf(resolveConfig()).lr).toBe(0.001);
    for (const schedule of [
      { type: 'exponential', gamma: 0.9 },
      { type: 'inverse_time', decay: 0.01 },
      { type: 'cosine', tMax: 100 },
    ]) {
      const config = resolveConfig({ file: { label: 'f', values: { schedule } } });
      expect(createOptimizer(optimizerConfigOf(config)).currentLr()).toBe(0.001);
    }
  });

  it('builds every loss the schema allows, and picks the usual one per task', () => {
    for (const type of ['mse', 'bce', 'bce_with_logits', 'cross_entropy', 'softmax_cross_entropy', 'focal', 'multiclass_hinge']) {
      const config = resolveConfig({ flags: { 'loss.type': type } });
      expect(createLoss(lossConfigOf(config, 'multiclass')).type).toBe(type);
    }
    const none = resolveConfig();
    expect(lossConfigOf(none, 'regression').type).toBe('mse');
    expect(lossConfigOf(none, 'binary').type).toBe('bce_with_logits');
    expect(lossConfigOf(none, 'multiclass').type).toBe('softmax_cross_entropy');
  });

  it('names the same model choices as the model module', () => {
    expect([...MODEL_TYPE_NAMES]).toEqual([...MODEL_TYPES]);
    expect([...ACTIVATION_NAMES]).toEqual([...ACTIVATIONS]);
    expect([...INITIALIZER_NAMES]).toEqual([...INITIALIZERS]);
    expect([...DTYPE_NAMES]).toEqual([...DTYPES]);
    expect([...RECORD_FORMAT_NAMES]).toEqual([...RECORD_FORMATS]);
  });

  it('derives the decoder options', () => {
    const config = resolveConfig({
      flags: { 'model.dtype': 'float64', 'source.type': 'file', 'source.path': 'x.jsonl', 'source.maxRecordBytes': 4096, 'schema.features': 2, 'schema.task': 'regression', 'schema.unknownFeatures': 'ignore', 'schema.maxWeight': 50 },
    });
    expect(decodeOptionsOf(config)).toEqual({ format: 'json', dtype: 'float64', unknownFeatures: 'ignore', maxRecordBytes: 4096, maxWeight: 50 });
  });

  it('reads a Kafka topic as JSON unless source.format says binary, which a file source refuses', () => {
    const kafka = { 'source.type': 'kafka', 'source.brokers': 'k:9092', 'source.topic': 't', 'schema.features': 2, 'schema.task': 'regression' };
    expect(decodeOptionsOf(resolveConfig({ flags: kafka })).format).toBe('json');
    const binary = resolveConfig({ flags: { ...kafka, 'source.format': 'binary' } });
    expect(decodeOptionsOf(binary).format).toBe('binary');
    expect(learnerConfigOf(binary).decode?.format).toBe('binary');
    expect(() => resolveConfig({ flags: { ...kafka, 'source.format': 'avro' } })).toThrow('source.format: "avro" is invalid: must be one of json, binary (from --source.format)');
    expect(() => resolveConfig({ flags: { 'source.type': 'file', 'source.path': 'x.jsonl', 'source.format': 'binary' } })).toThrow('source.format');
  });

  it('builds a Learner from the config and a configured or inferred schema', () => {
    const inferred = { features: 2, task: 'binary' } as const;
    const learner = new Learner(learnerConfigOf(resolveConfig(), inferred));
    expect(learner.setup.model.inputs).toBe(2);
    expect(learner.setup.model.outputs).toBe(1);
    expect(learner.config.loss.type).toBe('bce_with_logits');
    const declared = resolveConfig({ file: { label: 'f', values: { schema: { features: ['h', 'w', 'a'], task: 'regression' } } } });
    expect(learnerConfigOf(declared, inferred).schema).toMatchObject({ features: ['h', 'w', 'a'] });
    expect(() => learnerConfigOf(resolveConfig())).toThrow('schema: missing');
  });
});
