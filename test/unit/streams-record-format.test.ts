/**
 * The line format of `online-learner record` files (src/app/record-format.ts): every value survives
 * record -> replay byte for byte, and a recorded line still trains like the original record.
 */
import { describe, expect, it } from 'vitest';
import { formatRecordedLine, parseReplayLine } from '../../src/app/record-format.js';
import { ConfigError } from '../../src/errors.js';
import { createRecordDecoder } from '../../src/pipeline/decode-record.js';
import type { KafkaRecord } from '../../src/sources/kafka/types.js';

function kafkaRecord(value: Buffer | string | null, key: string | null = 'k1'): KafkaRecord {
  return {
    value: typeof value === 'string' ? Buffer.from(value) : value,
    headers: {},
    origin: { kind: 'kafka', topic: 't', partition: 2, offset: '17', timestampMs: 1_718_000_000_000, key },
  };
}

/** formatRecordedLine, then parseReplayLine on the line as a file reader hands it over. */
function roundTrip(value: Buffer | string | null, key: string | null = 'k1') {
  const line = formatRecordedLine(kafkaRecord(value, key));
  return { line, parsed: parseReplayLine(Buffer.from(line), 'rec.jsonl line 1', false) };
}

const META = '"_kafka":{"partition":2,"offset":"17","timestamp":1718000000000,"key":"k1"}';

describe('recorded line format', () => {
  it('appends the Kafka metadata to a JSON object value as its last member', () => {
    const { line, parsed } = roundTrip('{"features":[0.1,2],"label":1}');
    expect(line).toBe(`{"features":[0.1,2],"label":1,${META}}`);
    expect(String(parsed.value)).toBe('{"features":[0.1,2],"label":1}');
    expect(parsed.kafka).toEqual({ partition: 2, offset: '17', timestamp: 1_718_000_000_000, key: 'k1' });
  });

  it('gives back the value byte for byte, spacing and number spelling included', () => {
    const value = '{"features": {"b": 1.50, "a": 2e3}, "label" : "x\\u00e9", "id": "\\"quoted\\""}';
    const { parsed } = roundTrip(value);
    expect(String(parsed.value)).toBe(value);
  });

  it('drops only the whitespace around a value (a trailing newline from the producer)', () => {
    expect(String(roundTrip('  {"a":1}\n').parsed.value)).toBe('{"a":1}');
  });

  it('handles empty objects, with and without inner spaces', () => {
    expect(roundTrip('{}').line).toBe(`{${META}}`);
    expect(String(roundTrip('{}').parsed.value)).toBe('{}');
    expect(String(roundTrip('{ }').parsed.value)).toBe('{ }');
  });

  it('keeps a null key and reads it back as null', () => {
    const { line, parsed } = roundTrip('{"a":1}', null);
    expect(line).toContain('"key":null');
    expect(parsed.kafka?.key).toBeNull();
  });

  it.each([
    ['a tombstone (null value)', null],
    ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0x7b, 0x7d])],
    ['text that is not JSON', 'hello'],
    ['a JSON array', '[1,2,3]'],
    ['a JSON number', '42'],
    ['a pretty-printed object', '{\n  "a": 1\n}'],
    ['an object with its own _kafka member', '{"_kafka":1,"a":2}'],
  ])('wraps %s in a base64 envelope and restores it exactly', (_, value) => {
    const { line, parsed } = roundTrip(value);
    expect(line.startsWith('{"_kafka":{"partition":2,')).toBe(true);
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['_kafka', '_raw']);
    if (value === null) expect(parsed.value).toBeNull();
    else expect(Buffer.compare(Buffer.from(parsed.value as Buffer), Buffer.from(value))).toBe(0);
    expect(parsed.kafka?.offset).toBe('17');
  });

  it('an envelope line has exactly the two members in that order', () => {
    // Base64 of "hi" is aGk=.
    expect(formatRecordedLine(kafkaRecord('hi'))).toBe(
      '{"_kafka":{"partition":2,"offset":"17","timestamp":1718000000000,"key":"k1"},"_raw":"aGk="}',
    );
  });

  it('a recorded line decodes to the same sample as the original record (the decoder ignores _kafka)', () => {
    const decode = createRecordDecoder({ features: ['h', 'w'], task: 'multiclass', classes: ['man', 'woman', 'child'] });
    const original = '{"features":{"h":158.1,"w":57.2},"label":"woman","id":"sv-0"}';
    const recorded = formatRecordedLine(kafkaRecord(original));
    const a = decode({ value: Buffer.from(original), origin: { kind: 'memory', index: 0 } });
    const b = decode({ value: Buffer.from(recorded), origin: { kind: 'memory', index: 0 } });
    expect(a.kind).toBe('sample');
    expect(b).toEqual(a);
  });

  it('an envelope is dead-lettered by a learner reading the file, as missing_features', () => {
    const decode = createRecordDecoder({ features: 2, task: 'binary' });
    const decoded = decode({ value: Buffer.from(formatRecordedLine(kafkaRecord('not json'))), origin: { kind: 'memory', index: 0 } });
    expect(decoded.kind === 'rejected' && decoded.reason).toBe('missing_features');
  });
});

describe('replaying lines', () => {
  it('passes a plain line on as the same bytes, unparsed, unless asked to parse', () => {
    const line = Buffer.from('{"features":[1],"label":0,"user":"u3"}');
    const plain = parseReplayLine(line, 'f line 1', false);
    expect(plain.value).toBe(line);
    expect(plain.kafka).toBeNull();
    expect(plain.fields).toBeNull();
    expect(parseReplayLine(line, 'f line 1', true).fields).toEqual({ features: [1], label: 0, user: 'u3' });
  });

  it('passes lines that are not JSON objects on unchanged (the learner dead-letters them)', () => {
    for (const text of ['garbage "_kafka"', '[1,2]', '{"features": [1], "label": ']) {
      const line = Buffer.from(text);
      expect(parseReplayLine(line, 'f line 1', true).value).toBe(line);
    }
  });

  it('strips a _kafka member that is not last by re-serializing the other members', () => {
    const line = Buffer.from('{"_kafka":{"partition":0,"offset":"5","timestamp":7,"key":null}, "a": 1, "b": [2]}');
    const parsed = parseReplayLine(line, 'f line 1', false);
    expect(parsed.value).toBe('{"a":1,"b":[2]}');
    expect(parsed.kafka).toEqual({ partition: 0, offset: '5', timestamp: 7, key: null });
    expect(parsed.fields).toEqual({ a: 1, b: [2] });
  });

  it('refuses malformed metadata, naming the line and the field', () => {
    const bad = (meta: string) => () => parseReplayLine(Buffer.from(`{"a":1,"_kafka":${meta}}`), 'rec.jsonl line 9', false);
    expect(bad('{"partition":-1,"offset":"1","timestamp":1,"key":null}')).toThrow(ConfigError);
    expect(bad('{"partition":-1,"offset":"1","timestamp":1,"key":null}')).toThrow(/rec\.jsonl line 9: _kafka\.partition/);
    expect(bad('{"partition":0,"offset":1,"timestamp":1,"key":null}')).toThrow(/_kafka\.offset must be a decimal string/);
    expect(bad('{"partition":0,"offset":"1","timestamp":"x","key":null}')).toThrow(/_kafka\.timestamp must be a number/);
    expect(bad('{"partition":0,"offset":"1","timestamp":1,"key":3}')).toThrow(/_kafka\.key must be a string or null/);
    expect(bad('7')).toThrow(/_kafka must be an object/);
    expect(() => parseReplayLine(Buffer.from('{"_kafka":{"partition":0,"offset":"1","timestamp":1,"key":null},"_raw":"***"}'), 'f line 2', false)).toThrow(
      /_raw must be base64 text or null/,
    );
  });
});
