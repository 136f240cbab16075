import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { LearnerError } from '../../errors.js';
import { KafkaError, toKafkaError } from './errors.js';

// The real kafkajs classes; their typings omit constructor arguments kafkajs itself passes.
type ErrorClass = new (error: unknown, options?: Record<string, unknown>) => Error;
const KafkaJSProtocolError = kafkajs.KafkaJSProtocolError as unknown as ErrorClass;
const KafkaJSNonRetriableError = kafkajs.KafkaJSNonRetriableError as unknown as ErrorClass;
const { KafkaJSAggregateError, KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } = kafkajs;

function protocolError(type: string, retriable: boolean): Error {
  return new KafkaJSProtocolError({ message: `broker says ${type}`, type, retriable, code: 0 });
}

describe('toKafkaError', () => {
  it('names a protocol error by its Kafka error name and keeps its retriable flag and cause', () => {
    const original = protocolError('UNKNOWN_TOPIC_OR_PARTITION', true);
    const mapped = toKafkaError(original, 'send 3 records to t');
    expect(mapped).toBeInstanceOf(KafkaError);
    expect(mapped).toBeInstanceOf(LearnerError);
    expect(mapped).toMatchObject({ code: 'KAFKA_UNKNOWN_TOPIC_OR_PARTITION', retriable: true, cause: original });
    expect(mapped.message).toBe('send 3 records to t: broker says UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('takes the code from the root of a chain and calls exhausted retries retriable, as kafkajs restarts do', () => {
    const root = new KafkaJSConnectionError('Connection refused', { broker: '127.0.0.1:9092' });
    const exhausted = new KafkaJSNumberOfRetriesExceeded(root, { retryCount: 5, retryTime: 9000 });
    const mapped = toKafkaError(exhausted, 'fetch');
    expect(mapped).toMatchObject({ code: 'KAFKA_CONNECTION', retriable: true, cause: exhausted });
    expect(mapped.message).toBe('fetch: Connection refused (retries exhausted)');
  });

  it('adds a hint to a TLS failure, on a line of its own after the message', () => {
    const root = new KafkaJSConnectionError('Connection error: self-signed certificate in certificate chain', { broker: '127.0.0.1:9095' });
    const mapped = toKafkaError(new KafkaJSNumberOfRetriesExceeded(root, { retryCount: 5, retryTime: 9000 }), 'connect admin');
    expect(mapped.message).toMatch(/^connect admin: Connection error: self-signed certificate in certificate chain \(retries exhausted\)\n {2}hint: .*source\.tls\.caFile/);
  });

  it('keeps a non-retriable root non-retriable through a wrapper', () => {
    const root = protocolError('INVALID_REPLICATION_FACTOR', false);
    const wrapped = new KafkaJSNonRetriableError(root, { cause: root });
    expect(toKafkaError(wrapped, 'create topics')).toMatchObject({
      code: 'KAFKA_INVALID_REPLICATION_FACTOR',
      retriable: false,
    });
  });

  it('maps an aggregate by its first error, retriable only when every part is', () => {
    const mixed = new KafkaJSAggregateError('create topics failed', [
      protocolError('INVALID_CONFIG', false),
      protocolError('REQUEST_TIMED_OUT', true),
    ]);
    const mapped = toKafkaError(mixed, 'create topics a, b');
    expect(mapped).toMatchObject({ code: 'KAFKA_INVALID_CONFIG', retriable: false });
    expect(mapped.message).toBe('create topics a, b: broker says INVALID_CONFIG; broker says REQUEST_TIMED_OUT');

    const allRetriable = new KafkaJSAggregateError('x', [protocolError('REQUEST_TIMED_OUT', true)]);
    expect(toKafkaError(allRetriable, 'op').retriable).toBe(true);
  });

  it('wraps a foreign error as a non-retriable client error and passes KafkaErrors through', () => {
    const foreign = toKafkaError(new TypeError('x is undefined'), 'send');
    expect(foreign).toMatchObject({ code: 'KAFKA_CLIENT', retriable: false, message: 'send: x is undefined' });
    const ours = new KafkaError('KAFKA_COMMIT_NOT_APPLIED', 'not applied', { retriable: true });
    expect(toKafkaError(ours, 'commit')).toBe(ours);
  });
});
