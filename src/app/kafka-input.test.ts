import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/load.js';
import { kafkaDeadLetterSinkOf, kafkaSourceOf } from './kafka-input.js';

// Nothing listens on port 1: each case must fail before any connection is tried.
const kafka = { type: 'kafka', brokers: ['127.0.0.1:1'], topic: 'samples' };

describe('kafkaSourceOf', () => {
  it('refuses a Kafka source without a declared schema, before connecting', async () => {
    const config = resolveConfig({ file: { values: { source: kafka }, label: 'test' } });
    await expect(kafkaSourceOf(config)).rejects.toThrow(
      'schema: a Kafka source needs a declared schema (schema.features, schema.task, and schema.classes for named classes)',
    );
  });

  it('refuses a source that is not Kafka', async () => {
    const config = resolveConfig({ file: { values: { source: { type: 'file', path: 'a.jsonl' } }, label: 'test' } });
    await expect(kafkaSourceOf(config)).rejects.toThrow("source.type: 'file' is not kafka");
  });
});

describe('kafkaDeadLetterSinkOf', () => {
  it('needs deadLetter.topic', async () => {
    const config = resolveConfig({ file: { values: { source: kafka }, label: 'test' } });
    await expect(kafkaDeadLetterSinkOf(config)).rejects.toThrow('deadLetter.topic: not set');
  });
});
