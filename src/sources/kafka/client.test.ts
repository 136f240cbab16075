import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { createKafkaClient, type KafkaClientOptions } from './client.js';

const valid: KafkaClientOptions = { brokers: ['127.0.0.1:9092'] };

describe('createKafkaClient options', () => {
  it('accepts host:port brokers without connecting anywhere', () => {
    expect(() => createKafkaClient({ brokers: ['kafka-1.internal:9092', '10.0.0.2:19092'] })).not.toThrow();
  });

  it.each([
    [{ brokers: [] }, 'kafka.brokers: [] must be a non-empty list of host:port'],
    [{ brokers: ['localhost'] }, 'kafka.brokers: "localhost" is not host:port'],
    [{ ...valid, connectionTimeoutMs: 0 }, 'kafka.connectionTimeoutMs: 0 must be a positive integer'],
    [{ ...valid, requestTimeoutMs: 1.5 }, 'kafka.requestTimeoutMs: 1.5 must be a positive integer'],
    [{ ...valid, retry: { retries: -1 } }, 'kafka.retry.retries: -1 must be a non-negative integer'],
    [
      { ...valid, sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } },
      'kafka.sasl.mechanism: "gssapi" is not one of plain, scram-sha-256, scram-sha-512',
    ],
  ])('rejects %j naming the field, the value and the rule', (options, message) => {
    expect(() => createKafkaClient(options as KafkaClientOptions)).toThrow(ConfigError);
    expect(() => createKafkaClient(options as KafkaClientOptions)).toThrow(message);
  });

  it('checks producer, consumer and admin options before connecting', async () => {
    // Port 1 is never a broker: reaching a connect attempt would fail differently.
    const client = createKafkaClient({ brokers: ['127.0.0.1:1'] });
    await expect(client.producer({ acks: 2 as 1 })).rejects.toThrow('producer.acks: 2 must be -1, 0 or 1');
    await expect(client.consumer({ groupId: '', topics: ['t'] })).rejects.toThrow(
      'consumer.groupId: "" must be a non-empty string',
    );
    await expect(client.consumer({ groupId: 'g', topics: [] })).rejects.toThrow(
      'consumer.topics: [] must be a non-empty list of topic names',
    );
    await expect(
      client.consumer({ groupId: 'g', topics: ['t'], sessionTimeoutMs: 3_000, heartbeatIntervalMs: 3_000 }),
    ).rejects.toThrow('consumer.heartbeatIntervalMs: 3000 must be below sessionTimeoutMs (3000)');
    await expect(client.admin({ topicReadyTimeoutMs: -5 })).rejects.toThrow(
      'admin.topicReadyTimeoutMs: -5 must be a positive integer',
    );
  });
});
