import { describe, expect, it } from 'vitest';
import { toMessage } from './producer.js';

describe('toMessage', () => {
  it('maps a record field by field, timestamps as kafkajs strings', () => {
    const value = Buffer.from([1, 2, 3]);
    const record = { key: 'k', value, headers: { source: 'test' }, partition: 2, timestampMs: 1_700_000_000_000 };
    expect(toMessage(record)).toEqual({
      key: 'k',
      value,
      headers: { source: 'test' },
      partition: 2,
      timestamp: '1700000000000',
    });
  });

  it('sends a missing key as null and leaves unset fields to kafkajs', () => {
    expect(toMessage({ value: null })).toEqual({ key: null, value: null });
  });
});
