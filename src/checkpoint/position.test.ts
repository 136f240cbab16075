import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { PositionTracker } from './position.js';

describe('PositionTracker', () => {
  it('file: the line after the last record seen; stays at the start until a record arrives', () => {
    const tracker = new PositionTracker({ kind: 'file', path: 'a.jsonl', nextLine: 41 });
    expect(tracker.position()).toEqual({ kind: 'file', path: 'a.jsonl', nextLine: 41 });
    tracker.observe({ kind: 'file', path: 'a.jsonl', line: 41 });
    tracker.observe({ kind: 'file', path: 'a.jsonl', line: 44 });
    expect(tracker.position()).toEqual({ kind: 'file', path: 'a.jsonl', nextLine: 45 });
  });

  it('kafka: per topic and partition, the highest offset seen + 1, int64 exact, never moving back', () => {
    const tracker = new PositionTracker({ kind: 'kafka', offsets: { t: { 0: '10' } } });
    const at = (topic: string, partition: number, offset: string) => tracker.observe({ kind: 'kafka', topic, partition, offset });
    at('t', 0, '10');
    at('t', 1, '9007199254740993');
    at('t', 0, '4');
    at('__proto__', 2, '0');
    // A topic named __proto__ is an ordinary key, not a prototype.
    expect(JSON.stringify(tracker.position())).toBe('{"kind":"kafka","offsets":{"t":{"0":"11","1":"9007199254740994"},"__proto__":{"2":"1"}}}');
  });

  it('memory: the index after the last record seen', () => {
    const tracker = new PositionTracker({ kind: 'memory', nextIndex: 0 });
    tracker.observe({ kind: 'memory', index: 6 });
    expect(tracker.position()).toEqual({ kind: 'memory', nextIndex: 7 });
  });

  it('refuses a record from another kind of source', () => {
    const tracker = new PositionTracker({ kind: 'memory', nextIndex: 0 });
    expect(() => tracker.observe({ kind: 'file', path: 'x', line: 1 })).toThrow(ConfigError);
  });
});
