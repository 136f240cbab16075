import { describe, expect, it } from 'vitest';
import { lag, nextOffsets } from './offsets.js';
import type { KafkaRecord } from './types.js';

function record(topic: string, partition: number, offset: string): KafkaRecord {
  return { value: null, headers: {}, origin: { kind: 'kafka', topic, partition, offset } };
}

describe('nextOffsets', () => {
  it('commits the highest offset + 1 per topic-partition, whatever the input order', () => {
    const records = [
      record('a', 0, '7'),
      record('a', 1, '3'),
      record('a', 0, '9'),
      record('b', 0, '0'),
      record('a', 0, '8'),
    ];
    expect(nextOffsets(records)).toEqual([
      { topic: 'a', partition: 0, offset: '10' },
      { topic: 'a', partition: 1, offset: '4' },
      { topic: 'b', partition: 0, offset: '1' },
    ]);
  });

  it('stays exact past 2^53, where a Number would round', () => {
    // 2^53 + 1 = 9007199254740993 is not representable as a double; + 1 must give ...994.
    expect(nextOffsets([record('a', 0, '9007199254740993')])).toEqual([
      { topic: 'a', partition: 0, offset: '9007199254740994' },
    ]);
  });

  it('commits nothing for no records', () => {
    expect(nextOffsets([])).toEqual([]);
  });
});

describe('lag', () => {
  it('is end - committed, from the low watermark without a commit, never negative', () => {
    expect(lag('100', '60')).toBe(40n);
    expect(lag('100', null)).toBe(100n);
    expect(lag('100', null, '30')).toBe(70n);
    expect(lag('100', '100')).toBe(0n);
    expect(lag('5', '9')).toBe(0n);
  });
});
