import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { toKafkaRecords } from './consumer.js';

function message(fields: Partial<KafkaMessage>): KafkaMessage {
  return { key: null, value: null, timestamp: '0', attributes: 0, offset: '0', headers: {}, ...fields } as KafkaMessage;
}

describe('toKafkaRecords', () => {
  it('exposes each message as a SourceRecord with a Kafka origin, the value bytes untouched', () => {
    const value = Buffer.from('{"features":[1,2],"label":0}');
    const headers = { trace: Buffer.from('abc') };
    const [record] = toKafkaRecords('samples', 2, [
      message({ key: Buffer.from('user-7'), value, timestamp: '1700000000123', offset: '42', headers }),
    ]);
    expect(record.value).toBe(value);
    expect(record.headers).toBe(headers);
    expect(record.origin).toEqual({
      kind: 'kafka',
      topic: 'samples',
      partition: 2,
      offset: '42',
      timestampMs: 1_700_000_000_123,
      key: 'user-7',
    });
  });

  it('keeps null keys and values (tombstones) and gives header-less messages empty headers', () => {
    const [record] = toKafkaRecords('t', 0, [message({ headers: undefined as never })]);
    expect(record.value).toBeNull();
    expect(record.origin.key).toBeNull();
    expect(record.headers).toEqual({});
  });
});
