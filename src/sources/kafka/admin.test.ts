import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { validateTopicSpec } from './admin.js';

describe('validateTopicSpec', () => {
  it('accepts Kafka-legal names and positive counts', () => {
    expect(() => validateTopicSpec({ topic: 'samples.v2_raw-1', partitions: 3, replicationFactor: 1 })).not.toThrow();
  });

  it.each([
    [{ topic: 'has space' }, 'topic: "has space" must be 1-249 characters of a-z A-Z 0-9 . _ -'],
    [{ topic: 'x'.repeat(250) }, 'must be 1-249 characters'],
    [{ topic: 't', partitions: 0 }, 't.partitions: 0 must be a positive integer'],
    [{ topic: 't', replicationFactor: 0.5 }, 't.replicationFactor: 0.5 must be a positive integer'],
  ])('rejects %j', (spec, message) => {
    expect(() => validateTopicSpec(spec)).toThrow(ConfigError);
    expect(() => validateTopicSpec(spec)).toThrow(message);
  });
});
