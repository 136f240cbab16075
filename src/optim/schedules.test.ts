// Closed forms checked by hand here; the torch schedulers themselves are checked in torch-parity.test.ts.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { toSchedule } from './schedules.js';
import type { LearningRate } from './types.js';

const at = (lr: LearningRate, ts: number[]): number[] => ts.map(toSchedule(lr));

describe('learning-rate schedules (t = the step about to be taken, from 1)', () => {
  it('a number is a constant schedule, and so is {type: constant}', () => {
    expect(at(0.3, [1, 100])).toEqual([0.3, 0.3]);
    expect(at({ type: 'constant', lr: 0.3 }, [1, 100])).toEqual([0.3, 0.3]);
  });

  it('step: lr * gamma^floor((t-1)/stepSize), so the first decay happens at step stepSize + 1', () => {
    // stepSize 3, gamma 0.5: steps 1-3 at 0.8, 4-6 at 0.4, 7 at 0.2.
    expect(at({ type: 'step', lr: 0.8, stepSize: 3, gamma: 0.5 }, [1, 3, 4, 6, 7])).toEqual([0.8, 0.8, 0.4, 0.4, 0.2]);
    // torch's default gamma is 0.1.
    expect(at({ type: 'step', lr: 1, stepSize: 1 }, [2])[0]).toBeCloseTo(0.1, 15);
  });

  it('exponential: lr * gamma^(t-1)', () => {
    expect(at({ type: 'exponential', lr: 1, gamma: 0.5 }, [1, 2, 4])).toEqual([1, 0.5, 0.125]);
  });

  it('inverse_time: lr / (1 + decay*(t-1))^power', () => {
    // decay 0.5 at t = 3: 1 + 0.5*2 = 2.
    expect(at({ type: 'inverse_time', lr: 1, decay: 0.5 }, [1, 3])).toEqual([1, 0.5]);
    expect(at({ type: 'inverse_time', lr: 1, decay: 0.5, power: 2 }, [3])).toEqual([0.25]);
  });

  it('cosine: from lr down to etaMin over tMax steps, then holds etaMin', () => {
    // tMax 4, etaMin 0.2: t = 3 is halfway (cos(pi/2) = 0): 0.2 + 0.8 * 1/2 = 0.6.
    const values = at({ type: 'cosine', lr: 1, tMax: 4, etaMin: 0.2 }, [1, 3, 5, 9]);
    expect(values[0]).toBe(1);
    expect(values[1]).toBeCloseTo(0.6, 15);
    expect(values[2]).toBe(0.2);
    expect(values[3]).toBe(0.2);
  });

  it.each([
    [-1, 'lr = -1 is invalid: must be >= 0'],
    [Number.NaN, 'lr = NaN is invalid: must be a finite number'],
    ['0.1', 'lr = "0.1" is invalid: must be a number or a schedule object'],
    [{ type: 'step', lr: 0.1, stepSize: 0 }, 'lr.stepSize = 0 is invalid: must be a positive integer'],
    [{ type: 'step', lr: 0.1, stepSize: 2, gamma: -0.5 }, 'lr.gamma = -0.5 is invalid: must be > 0'],
    [{ type: 'cosine', lr: 0.1, tMax: 2.5 }, 'lr.tMax = 2.5 is invalid: must be a positive integer'],
    [{ type: 'exponential', lr: 0.1 }, 'lr.gamma = undefined is invalid: must be a finite number'],
    [{ type: 'warmup', lr: 0.1 }, 'lr.type = "warmup" is invalid: must be one of constant, step, exponential, inverse_time, cosine'],
    [{ type: 'exponential', lr: 0.1, gamma: 0.9, step_size: 3 }, 'lr.step_size is not an option of lr (options: type, lr, gamma)'],
  ])('rejects %j with a message naming the field, value and rule', (lr, message) => {
    expect(() => toSchedule(lr as LearningRate)).toThrow(new ConfigError(message));
  });
});
