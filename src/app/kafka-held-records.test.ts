import { afterEach, describe, expect, it, vi } from 'vitest';
import { heldRecordLimits, HeldRecords } from './kafka-held-records.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('heldRecordLimits', () => {
  it('pauses two minibatches above the shuffle buffer and resumes one above it', () => {
    expect(heldRecordLimits(1000, 32)).toEqual({ maxHeldRecords: 1064, resumeHeldRecords: 1032 });
  });
});

describe('HeldRecords', () => {
  it('counts records emitted and not acknowledged, and remembers the most held', () => {
    const held = new HeldRecords({ maxHeldRecords: 3, resumeHeldRecords: 1 });
    held.emitted();
    held.emitted();
    expect(held.full).toBe(false);
    held.emitted();
    expect(held.full).toBe(true);
    held.acknowledged();
    expect(held.held).toBe(2);
    expect(held.maxHeld).toBe(3);
  });

  it('waits until the count falls to the resume mark, heartbeating every heartbeatEveryMs meanwhile', async () => {
    vi.useFakeTimers();
    const held = new HeldRecords({ maxHeldRecords: 4, resumeHeldRecords: 2 }, 1000);
    for (let i = 0; i < 4; i++) held.emitted();
    let heartbeats = 0;
    let done = false;
    const wait = held
      .waitForRoom({ heartbeat: async () => void heartbeats++, cancelled: () => false })
      .then(() => (done = true));
    await vi.advanceTimersByTimeAsync(2500);
    // At 0, 1000 and 2000 ms.
    expect(heartbeats).toBe(3);
    held.acknowledged();
    await vi.advanceTimersByTimeAsync(0);
    // 3 held: still above the resume mark.
    expect(done).toBe(false);
    held.acknowledged();
    await wait;
    expect(held.held).toBe(2);
    expect(heartbeats).toBe(3);
  });

  it('heartbeats across many waits that are each shorter than the interval', async () => {
    vi.useFakeTimers();
    const held = new HeldRecords({ maxHeldRecords: 2, resumeHeldRecords: 1 }, 1000);
    held.emitted();
    let heartbeats = 0;
    const context = { heartbeat: async () => void heartbeats++, cancelled: () => false };
    // A step of 100 ms acknowledges one record; the source refills at once: 30 waits over 3 s.
    for (let i = 0; i < 30; i++) {
      held.emitted();
      const wait = held.waitForRoom(context);
      await vi.advanceTimersByTimeAsync(100);
      held.acknowledged();
      await wait;
    }
    // At 0, 1000, 2000 and 3000 ms: the last wait runs from 2900 to 3000 ms.
    expect(heartbeats).toBe(4);
  });

  it('stops waiting when released and the wait is cancelled', async () => {
    const held = new HeldRecords({ maxHeldRecords: 2, resumeHeldRecords: 0 }, 60_000);
    held.emitted();
    held.emitted();
    let cancelled = false;
    const wait = held.waitForRoom({ heartbeat: async () => undefined, cancelled: () => cancelled });
    cancelled = true;
    held.release();
    await wait;
    expect(held.held).toBe(2);
  });

  it('propagates a failed heartbeat (the group is rebalancing)', async () => {
    const held = new HeldRecords({ maxHeldRecords: 1, resumeHeldRecords: 0 }, 1);
    held.emitted();
    const rebalancing = new Error('REBALANCE_IN_PROGRESS');
    await expect(held.waitForRoom({ heartbeat: () => Promise.reject(rebalancing), cancelled: () => false })).rejects.toBe(
      rebalancing,
    );
  });

  it('waits for a promise to settle, heartbeating every heartbeatEveryMs meanwhile, whatever its outcome', async () => {
    vi.useFakeTimers();
    const held = new HeldRecords({ maxHeldRecords: 4, resumeHeldRecords: 2 }, 1000);
    let heartbeats = 0;
    const context = { heartbeat: async () => void heartbeats++, cancelled: () => false };
    let fail: (error: Error) => void = () => undefined;
    const emission = new Promise<void>((_, reject) => (fail = reject));
    let done = false;
    const waiting = held.waitFor(emission, context).then(() => (done = true));
    // A heartbeat is due at once (none yet), then every 1000 ms.
    await vi.advanceTimersByTimeAsync(2500);
    expect(heartbeats).toBe(3);
    expect(done).toBe(false);
    fail(new Error('the emission failed: its owner reports it'));
    emission.catch(() => undefined);
    await waiting;
    expect(heartbeats).toBe(3);
  });

  it('refuses a resume mark that is not below the pause mark', () => {
    expect(() => new HeldRecords({ maxHeldRecords: 10, resumeHeldRecords: 10 })).toThrow(
      'resumeHeldRecords: 10 must be an integer in [0, maxHeldRecords = 10)',
    );
    expect(() => new HeldRecords({ maxHeldRecords: 0, resumeHeldRecords: 0 })).toThrow('maxHeldRecords: 0');
  });
});
