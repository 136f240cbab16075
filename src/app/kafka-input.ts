/**
 * The Kafka side of `online-learner train` from a validated AppConfig: the record source (a consumer in
 * group source.groupId) and the dead-letter topic's sink. Both topics are checked up front, so a typo
 * fails with the field's name before anything is consumed rather than mid-run.
 */
import type { AppConfig } from '../config/schema.js';
import type { SourceConfig } from '../config/sections/source.js';
import { ConfigError } from '../errors.js';
import { createKafkaClient } from '../sources/kafka/client.js';
import type { KafkaClient } from '../sources/kafka/client.js';
import { KafkaError } from '../sources/kafka/errors.js';
import { kafkaDeadLetterSink } from './kafka-dead-letters.js';
import { heldRecordLimits } from './kafka-held-records.js';
import { kafkaRecordSource } from './kafka-source.js';
import { kafkaTlsOf } from './kafka-tls.js';
import type { KafkaRecordSource, KafkaSourceOptions } from './kafka-source.js';
import type { DeadLetterSink } from './run-learner.js';

type KafkaSourceConfig = Extract<SourceConfig, { type: 'kafka' }>;

/** How long a broker may hold an empty fetch: also how long a stop may wait for the fetch in flight. */
const MAX_FETCH_WAIT_MS = 1_000;

export type KafkaInputHooks = Pick<KafkaSourceOptions, 'onLag' | 'warn'>;

export async function kafkaSourceOf(config: AppConfig, hooks: KafkaInputHooks = {}): Promise<KafkaRecordSource> {
  const source = kafkaSourceConfig(config);
  if (config.schema === undefined) {
    throw new ConfigError(
      'schema: a Kafka source needs a declared schema (schema.features, schema.task, and schema.classes for ' +
        'named classes): the topic is not peeked to infer one',
    );
  }
  const client = clientOf(source);
  await requireTopic(client, source.topic, 'source.topic');
  const consumer = await client.consumer({
    groupId: source.groupId,
    topics: [source.topic],
    fromBeginning: source.fromBeginning,
    sessionTimeoutMs: source.sessionTimeoutMs,
    // kafkajs wants heartbeats well inside the session; its 3 s default is too slow for short sessions.
    heartbeatIntervalMs: Math.min(3_000, Math.floor(source.sessionTimeoutMs / 3)),
    maxWaitTimeMs: MAX_FETCH_WAIT_MS,
  });
  const { shuffleBuffer, batchSize, idleExitMs } = config.training;
  return kafkaRecordSource(consumer, {
    description: `kafka topic ${source.topic} (group ${source.groupId})`,
    topics: [source.topic],
    ...heldRecordLimits(shuffleBuffer, batchSize),
    // Training a fetched batch and fetching the next one overlap (a fetch of 1 MB takes 10-20 ms).
    overlapFetches: true,
    idleExitMs,
    ...hooks,
  });
}

/** The sink of deadLetter.topic, produced through the source's brokers. */
export async function kafkaDeadLetterSinkOf(config: AppConfig): Promise<DeadLetterSink> {
  const source = kafkaSourceConfig(config);
  const topic = config.deadLetter.topic;
  if (topic === undefined) throw new ConfigError('deadLetter.topic: not set');
  const client = clientOf(source);
  await requireTopic(client, topic, 'deadLetter.topic');
  return kafkaDeadLetterSink(await client.producer({ acks: -1 }), topic);
}

function kafkaSourceConfig(config: AppConfig): KafkaSourceConfig {
  if (config.source.type !== 'kafka') {
    throw new ConfigError(`source.type: '${config.source.type}' is not kafka`);
  }
  return config.source;
}

function clientOf(source: KafkaSourceConfig): KafkaClient {
  return createKafkaClient({ brokers: source.brokers, clientId: source.clientId, ssl: kafkaTlsOf(source), sasl: source.sasl });
}

async function requireTopic(client: KafkaClient, topic: string, field: string): Promise<void> {
  const admin = await client.admin();
  try {
    await admin.endOffsets(topic);
  } catch (error) {
    if (error instanceof KafkaError && error.code === 'KAFKA_UNKNOWN_TOPIC_OR_PARTITION') {
      throw new ConfigError(`${field}: topic '${topic}' does not exist on the brokers (it is never created automatically)`);
    }
    throw error;
  } finally {
    await admin.disconnect();
  }
}
