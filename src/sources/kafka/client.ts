/**
 * The entry point of the Kafka layer: validated connection options, then admin, producer and consumer
 * factories that hand back connected objects. kafkajs 2.2.4 (unmaintained since 2023) stays behind
 * these interfaces.
 */
import { Kafka } from 'kafkajs';
import type { KafkaConfig, RetryOptions } from 'kafkajs';
import { ConfigError } from '../../errors.js';
import { connectAdmin, type KafkaAdmin, type KafkaAdminOptions } from './admin.js';
import { connectConsumer, type KafkaConsumer, type KafkaConsumerOptions } from './consumer.js';
import { createLogCreator, toKafkajsLogLevel, type KafkaLogLevel, type KafkaLogSink } from './logger.js';
import { connectProducer, type KafkaProducer, type KafkaProducerOptions } from './producer.js';
import { requireNonNegativeInteger, requirePositiveInteger } from './validate.js';

export interface KafkaRetryOptions {
  /** Attempts after the first, per operation. */
  readonly retries?: number;
  readonly initialRetryTimeMs?: number;
  readonly maxRetryTimeMs?: number;
}

export interface KafkaSaslOptions {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** PEM contents for a TLS connection: CAs to trust instead of the system ones, a client certificate and its key. */
export interface KafkaTlsMaterial {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

export interface KafkaClientOptions {
  /** `host:port` bootstrap addresses. */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly retry?: KafkaRetryOptions;
  /** TLS with the system CAs (true), or with this material (PEM text, not paths: this module reads no files). */
  readonly ssl?: boolean | KafkaTlsMaterial;
  readonly sasl?: KafkaSaslOptions;
  readonly logLevel?: KafkaLogLevel;
  readonly logSink?: KafkaLogSink;
}

export interface KafkaClient {
  admin(options?: KafkaAdminOptions): Promise<KafkaAdmin>;
  producer(options?: KafkaProducerOptions): Promise<KafkaProducer>;
  consumer(options: KafkaConsumerOptions): Promise<KafkaConsumer>;
}

const BROKER_ADDRESS = /^[^\s:]+:\d{1,5}$/;
const SASL_MECHANISMS: ReadonlyArray<KafkaSaslOptions['mechanism']> = ['plain', 'scram-sha-256', 'scram-sha-512'];

export function createKafkaClient({
  brokers,
  clientId = 'online-learner',
  connectionTimeoutMs = 3_000,
  requestTimeoutMs = 30_000,
  retry = {},
  ssl = false,
  sasl,
  logLevel = 'silent',
  logSink,
}: KafkaClientOptions): KafkaClient {
  if (!Array.isArray(brokers) || brokers.length === 0) {
    throw new ConfigError(`kafka.brokers: ${JSON.stringify(brokers)} must be a non-empty list of host:port`);
  }
  for (const broker of brokers) {
    if (typeof broker !== 'string' || !BROKER_ADDRESS.test(broker)) {
      throw new ConfigError(`kafka.brokers: ${JSON.stringify(broker)} is not host:port`);
    }
  }
  requirePositiveInteger('kafka.connectionTimeoutMs', connectionTimeoutMs);
  requirePositiveInteger('kafka.requestTimeoutMs', requestTimeoutMs);
  const config: KafkaConfig = {
    brokers: [...brokers],
    clientId,
    connectionTimeout: connectionTimeoutMs,
    requestTimeout: requestTimeoutMs,
    retry: toRetryOptions(retry),
    ssl: typeof ssl === 'boolean' ? ssl : { ...ssl },
    logLevel: toKafkajsLogLevel(logLevel),
    logCreator: createLogCreator(logLevel, logSink),
  };
  if (sasl !== undefined) {
    if (!SASL_MECHANISMS.includes(sasl.mechanism)) {
      const allowed = SASL_MECHANISMS.join(', ');
      throw new ConfigError(`kafka.sasl.mechanism: ${JSON.stringify(sasl.mechanism)} is not one of ${allowed}`);
    }
    // kafkajs types SASL per mechanism; ours are the three that share username + password.
    config.sasl = { ...sasl } as KafkaConfig['sasl'];
  }
  const kafka = new Kafka(config);
  return {
    admin: (options = {}) => connectAdmin(kafka, options),
    producer: (options = {}) => connectProducer(kafka, options),
    consumer: (options) => connectConsumer(kafka, options),
  };
}

/**
 * Every field is set explicitly: kafkajs otherwise switches to tiny test defaults (15 retries of at
 * most 1 s) whenever NODE_ENV is "test", and tests would not see production behaviour.
 */
function toRetryOptions({
  retries = 5,
  initialRetryTimeMs = 300,
  maxRetryTimeMs = 30_000,
}: KafkaRetryOptions): RetryOptions {
  requireNonNegativeInteger('kafka.retry.retries', retries);
  requirePositiveInteger('kafka.retry.initialRetryTimeMs', initialRetryTimeMs);
  requirePositiveInteger('kafka.retry.maxRetryTimeMs', maxRetryTimeMs);
  return { retries, initialRetryTime: initialRetryTimeMs, maxRetryTime: maxRetryTimeMs, factor: 0.2, multiplier: 2 };
}
