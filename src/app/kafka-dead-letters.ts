/**
 * Dead letters on a Kafka topic: the same JSON as a dead-letter file (pipeline/dead-letter.ts), one
 * message per rejected record, keyed by the original record's key, with headers that let a consumer
 * route or replay without parsing the value:
 *
 *   dlq-reason            the stable reason code (e.g. unknown_class)
 *   dlq-source-topic      where the record was read
 *   dlq-source-partition
 *   dlq-source-offset
 *
 * write() resolves once every in-sync replica acknowledged (acks -1): the learner acknowledges the
 * original record only then, so its offset is never committed before its dead letter is durable.
 */
import type { DeadLetter } from '../pipeline/dead-letter.js';
import type { KafkaProducer } from '../sources/kafka/producer.js';
import type { ProduceRecord } from '../sources/kafka/types.js';
import type { DeadLetterSink } from './run-learner.js';

export const DEAD_LETTER_HEADERS = {
  reason: 'dlq-reason',
  topic: 'dlq-source-topic',
  partition: 'dlq-source-partition',
  offset: 'dlq-source-offset',
} as const;

export function deadLetterMessage(letter: DeadLetter): ProduceRecord {
  const { origin } = letter;
  const value = JSON.stringify(letter);
  if (origin.kind !== 'kafka') return { value, headers: { [DEAD_LETTER_HEADERS.reason]: letter.reason } };
  return {
    key: origin.key ?? null,
    value,
    headers: {
      [DEAD_LETTER_HEADERS.reason]: letter.reason,
      [DEAD_LETTER_HEADERS.topic]: origin.topic,
      [DEAD_LETTER_HEADERS.partition]: String(origin.partition),
      [DEAD_LETTER_HEADERS.offset]: origin.offset,
    },
  };
}

/** Takes over a connected producer (acks -1); close() disconnects it. */
export function kafkaDeadLetterSink(producer: KafkaProducer, topic: string): DeadLetterSink {
  return {
    async write(letter) {
      await producer.send(topic, [deadLetterMessage(letter)]);
    },
    close: () => producer.disconnect(),
  };
}
