// The Kafka layer's public surface: re-exports only.
export { createKafkaClient } from './client.js';
export type { KafkaClient, KafkaClientOptions, KafkaRetryOptions, KafkaSaslOptions, KafkaTlsMaterial } from './client.js';
export type { KafkaAdmin, KafkaAdminOptions } from './admin.js';
export type { KafkaProducer, KafkaProducerOptions } from './producer.js';
export type { BatchContext, BatchHandler, KafkaConsumer, KafkaConsumerOptions } from './consumer.js';
export { KafkaError } from './errors.js';
export { KAFKA_LOG_LEVELS } from './logger.js';
export type { KafkaLogEntry, KafkaLogLevel, KafkaLogSink } from './logger.js';
export { lag, nextOffsets } from './offsets.js';
export type {
  CommittedOffset,
  KafkaHeaders,
  KafkaOrigin,
  KafkaRecord,
  PartitionOffset,
  ProduceRecord,
  TopicPartition,
  TopicSpec,
} from './types.js';
