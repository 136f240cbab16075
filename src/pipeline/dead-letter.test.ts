import { describe, expect, it } from 'vitest';
import { toDeadLetter } from './dead-letter.js';

describe('toDeadLetter', () => {
  it('keeps reason, message, origin and raw, with raw null when the record had no value', () => {
    const origin = { kind: 'kafka', topic: 'samples', partition: 0, offset: '42' } as const;
    expect(toDeadLetter({ kind: 'rejected', reason: 'empty', message: 'the record has no value (a tombstone?)', origin })).toEqual({
      reason: 'empty',
      message: 'the record has no value (a tombstone?)',
      origin,
      raw: null,
    });
    expect(JSON.parse(JSON.stringify(toDeadLetter({ kind: 'rejected', reason: 'not_json', message: 'm', origin, raw: '{' })))).toEqual({
      reason: 'not_json',
      message: 'm',
      origin,
      raw: '{',
    });
  });
});
