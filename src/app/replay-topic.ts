/**
 * The check `replay` and `record` make before they start: the brokers answer and the topic exists (or,
 * when asked, is created). It runs on a client with a single retry, so an unreachable broker or a
 * misspelled topic fails within a second or two with a message that says which, instead of after the
 * produce path's full retry budget (about 10 s of backoff), which is kept for transient errors mid-run.
 */
import { ConfigError } from '../errors.js';
import { createKafkaClient, KafkaError } from '../sources/kafka/index.js';
import type { KafkaClientOptions, PartitionOffset } from '../sources/kafka/index.js';

export interface TopicCheckOptions {
  /** Create the topic with this many partitions when it does not exist. */
  readonly createPartitions?: number;
}

const UNREACHABLE = new Set(['KAFKA_CONNECTION', 'KAFKA_NO_BROKER', 'KAFKA_REQUEST_TIMEOUT', 'KAFKA_TIMEOUT']);
const UNKNOWN_TOPIC = 'KAFKA_UNKNOWN_TOPIC_OR_PARTITION';

/** Per partition, the topic's end offsets (so its partition count); KafkaError with a clear message otherwise. */
export async function checkTopic(
  kafka: KafkaClientOptions,
  topic: string,
  { createPartitions }: TopicCheckOptions = {},
): Promise<PartitionOffset[]> {
  if (createPartitions !== undefined && (!Number.isInteger(createPartitions) || createPartitions < 1)) {
    throw new ConfigError(`partitions: ${createPartitions} is invalid: must be a positive integer`);
  }
  const brokers = kafka.brokers.join(',');
  const client = createKafkaClient({ ...kafka, retry: { ...kafka.retry, retries: 1 } });
  const admin = await client.admin().catch((error: unknown) => {
    throw explain(error, `cannot reach Kafka at ${brokers}`);
  });
  try {
    if (createPartitions !== undefined) {
      await admin.createTopics([{ topic, partitions: createPartitions }]);
    }
    return await admin.endOffsets(topic);
  } catch (error) {
    if (error instanceof KafkaError && error.code === UNKNOWN_TOPIC) {
      throw new KafkaError(
        UNKNOWN_TOPIC,
        `topic '${topic}' does not exist at ${brokers}: create it first (topics are never auto-created here, ` +
          'so a misspelled name fails instead of creating a topic)',
        { cause: error },
      );
    }
    throw explain(error, `topic '${topic}' at ${brokers}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function explain(error: unknown, context: string): unknown {
  if (!(error instanceof KafkaError)) return error;
  const reason = UNREACHABLE.has(error.code) ? `${context}: the broker does not answer (${error.message})` : `${context}: ${error.message}`;
  return new KafkaError(error.code, reason, { retriable: error.retriable, cause: error });
}
