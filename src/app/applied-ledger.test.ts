import { describe, expect, it } from 'vitest';
import { appliedCounts } from './applied-ledger.js';

describe('appliedCounts', () => {
  it('rolls back the steps a killed run applied after its last checkpoint', () => {
    // Run 1 applied steps 1-3 and was killed; its newest checkpoint held step 2, so run 2 starts at 2
    // and applies c again as its step 3. Run 3 resumed at step 4 with nothing lost.
    const ledger = ['', 'start 0', 'step 1 a', 'step 2 b', 'step 3 c', '', 'start 2', 'step 3 c%20d', 'step 4 e', '', 'start 4', 'step 5 f', ''].join('\n');
    expect(Object.fromEntries(appliedCounts(ledger))).toEqual({ a: 1, b: 1, 'c d': 1, e: 1, f: 1 });
  });

  it('counts an id applied twice twice, and ignores a torn last line', () => {
    const ledger = '\nstart 0\nstep 1 a b\nstep 2 a\nstep 3 x y';
    expect(Object.fromEntries(appliedCounts(ledger))).toEqual({ a: 2, b: 1 });
  });
});
