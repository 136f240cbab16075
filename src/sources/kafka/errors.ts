/**
 * kafkajs errors mapped into the project's hierarchy. kafkajs wraps errors in chains
 * (NumberOfRetriesExceeded -> ConnectionError, NonRetriableError -> ProtocolError ...); the code comes
 * from the root cause, and `retriable` follows the rule kafkajs itself uses to restart a crashed
 * consumer (kafkajs src/consumer/index.js, onCrash): the retry budget ran out, or the root cause is
 * retriable. Either way, trying the operation again later can succeed.
 */
import { LearnerError } from '../../errors.js';
import { tlsHintOf } from './tls-hint.js';

export class KafkaError extends LearnerError {}

interface KafkaJSErrorLike {
  readonly name: string;
  readonly message: string;
  readonly retriable?: boolean;
  /** Protocol errors only: Kafka's error name, e.g. UNKNOWN_TOPIC_OR_PARTITION. */
  readonly type?: string;
  readonly cause?: unknown;
  /** KafkaJSAggregateError only: one error per topic or partition (createTopics, deleteRecords). */
  readonly errors?: readonly unknown[];
}

export function isKafkaJSError(error: unknown): error is KafkaJSErrorLike {
  return error instanceof Error && error.name.startsWith('KafkaJS');
}

/** Codes for the kafkajs errors a caller may want to tell apart; the rest are KAFKA_CLIENT. */
const CODE_BY_NAME: Readonly<Record<string, string>> = {
  KafkaJSConnectionError: 'KAFKA_CONNECTION',
  KafkaJSConnectionClosedError: 'KAFKA_CONNECTION',
  KafkaJSRequestTimeoutError: 'KAFKA_REQUEST_TIMEOUT',
  KafkaJSNoBrokerAvailableError: 'KAFKA_NO_BROKER',
  KafkaJSBrokerNotFound: 'KAFKA_NO_BROKER',
  KafkaJSMetadataNotLoaded: 'KAFKA_METADATA',
  KafkaJSTopicMetadataNotLoaded: 'KAFKA_METADATA',
  KafkaJSSASLAuthenticationError: 'KAFKA_AUTHENTICATION',
  KafkaJSGroupCoordinatorNotFound: 'KAFKA_GROUP_COORDINATOR',
  KafkaJSTimeout: 'KAFKA_TIMEOUT',
  KafkaJSLockTimeout: 'KAFKA_TIMEOUT',
};

/**
 * @param operation what we were doing, for the message ("create topics", "commit offsets").
 */
export function toKafkaError(error: unknown, operation: string): KafkaError {
  if (error instanceof KafkaError) return error;
  if (!isKafkaJSError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new KafkaError('KAFKA_CLIENT', `${operation}: ${message}`, { cause: error });
  }
  let root: KafkaJSErrorLike = error;
  while (isKafkaJSError(root.cause)) root = root.cause;
  // An aggregate takes its code from its first error and is retriable only if all of them are.
  const parts = root.errors?.filter(isKafkaJSError) ?? [];
  const first = parts[0] ?? root;
  const code = first.type !== undefined ? `KAFKA_${first.type}` : (CODE_BY_NAME[first.name] ?? 'KAFKA_CLIENT');
  const rootRetriable = parts.length > 0 ? parts.every((part) => part.retriable === true) : root.retriable === true;
  const exhausted = error.name === 'KafkaJSNumberOfRetriesExceeded';
  const message = parts.length > 0 ? parts.map((part) => part.message).join('; ') : root.message;
  // A TLS failure names an OpenSSL alert, not the setting that fixes it: the hint does.
  const hint = tlsHintOf(message);
  return new KafkaError(code, `${operation}: ${message}${exhausted ? ' (retries exhausted)' : ''}${hint === null ? '' : `\n  hint: ${hint}`}`, {
    retriable: exhausted || rootRetriable,
    cause: error,
  });
}

/** Runs a kafkajs call, turning whatever it throws into a KafkaError that names the operation. */
export async function kafkaCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toKafkaError(error, operation);
  }
}
