import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { CheckpointTrigger } from './trigger.js';

describe('CheckpointTrigger', () => {
  it('fires every N applied steps counted from the last checkpoint taken', () => {
    const trigger = new CheckpointTrigger({ everySteps: 3, everySeconds: Infinity });
    expect([1, 2].map((s) => trigger.due(s))).toEqual([null, null]);
    expect(trigger.due(3)).toBe('steps');
    // Not taken yet (a write was in flight): still due at the next step.
    expect(trigger.due(4)).toBe('steps');
    trigger.taken(4);
    expect([5, 6].map((s) => trigger.due(s))).toEqual([null, null]);
    expect(trigger.due(7)).toBe('steps');
  });

  it('fires after T seconds on the injected clock, but only once a step has been applied since', () => {
    let now = 1_000;
    const trigger = new CheckpointTrigger({ everySteps: 100, everySeconds: 2, nowMs: () => now });
    now = 2_999;
    expect(trigger.due(1)).toBe(null);
    now = 3_000;
    expect(trigger.due(1)).toBe('time');
    trigger.taken(1);
    now = 10_000;
    // Nothing changed since the last checkpoint: nothing to write.
    expect(trigger.due(1)).toBe(null);
    expect(trigger.due(2)).toBe('time');
  });

  it('always fires on stop; a restored run counts steps from its checkpoint', () => {
    const trigger = new CheckpointTrigger({ everySteps: 10, everySeconds: Infinity }, 40);
    expect(trigger.due(45)).toBe(null);
    expect(trigger.due(45, true)).toBe('stop');
    expect(trigger.due(50)).toBe('steps');
  });

  it('rejects intervals that are not positive, naming the field', () => {
    expect(() => new CheckpointTrigger({ everySteps: 0 })).toThrow(new ConfigError('checkpoint.everySteps: 0 is invalid: must be an integer >= 1 (or Infinity)'));
    expect(() => new CheckpointTrigger({ everySteps: 2.5 })).toThrow(ConfigError);
    expect(() => new CheckpointTrigger({ everySeconds: -1 })).toThrow(/checkpoint\.everySeconds: -1 is invalid/);
  });
});
