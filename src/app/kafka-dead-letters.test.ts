import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../pipeline/dead-letter.js';
import type { KafkaProducer } from '../sources/kafka/producer.js';
import type { ProduceRecord } from '../sources/kafka/types.js';
import { deadLetterMessage, kafkaDeadLetterSink } from './kafka-dead-letters.js';

const letter: DeadLetter = {
  reason: 'unknown_class',
  message: 'label: "alien" is not a known class',
  origin: { kind: 'kafka', topic: 'samples', partition: 2, offset: '42', key: 'k-1' },
  raw: '{"features":[1,2],"label":"alien"}',
};

describe('deadLetterMessage', () => {
  it('carries the dead-letter JSON, the original key, and the reason and origin as headers', () => {
    expect(deadLetterMessage(letter)).toEqual({
      key: 'k-1',
      value: JSON.stringify(letter),
      headers: {
        'dlq-reason': 'unknown_class',
        'dlq-source-topic': 'samples',
        'dlq-source-partition': '2',
        'dlq-source-offset': '42',
      },
    });
  });

  it('has only the reason header for a record that did not come from Kafka', () => {
    const fromFile: DeadLetter = { ...letter, origin: { kind: 'file', path: 'a.jsonl', line: 3 } };
    expect(deadLetterMessage(fromFile).headers).toEqual({ 'dlq-reason': 'unknown_class' });
  });
});

describe('kafkaDeadLetterSink', () => {
  it('resolves a write only once the broker acknowledged the send', async () => {
    const sent: Array<[string, readonly ProduceRecord[]]> = [];
    let acknowledge!: () => void;
    const producer: KafkaProducer = {
      send: (topic, records) => {
        sent.push([topic, records]);
        return new Promise((done) => (acknowledge = () => done([{ topic, partition: 0, offset: '0' }])));
      },
      disconnect: async () => undefined,
    };
    let written = false;
    const write = kafkaDeadLetterSink(producer, 'dlq').write(letter).then(() => (written = true));
    await new Promise((done) => setImmediate(done));
    expect(written).toBe(false);
    acknowledge();
    await write;
    expect(sent).toEqual([['dlq', [deadLetterMessage(letter)]]]);
  });
});
