import { describe, expect, it } from 'vitest';
import { MulticlassHingeLoss } from './multiclass-hinge.js';

describe('multiclass_hinge', () => {
  // The chapter's (CS231n's) example: scores [3.2, 5.1, -1.7] for the true class 0, margin 1:
  //   max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9 + 0 = 2.9
  // Only class 1 violates the margin: gradient +1 on it, -1 on the true class, 0 on class 2.
  it('is the textbook sum over wrong classes, for index and one-hot targets', () => {
    const loss = new MulticlassHingeLoss({ reduction: 'sum' });
    for (const targets of [[0], [1, 0, 0]]) {
      const { value, grad } = loss.compute(Float64Array.of(3.2, 5.1, -1.7), targets, 1);
      expect(value).toBeCloseTo(2.9, 14);
      expect(Array.from(grad)).toEqual([-1, 1, 0]);
    }
  });

  // margin 2: max(0, 5.1 - 3.2 + 2) + max(0, -1.7 - 3.2 + 2) = 3.9; mean over 2 identical rows is 3.9.
  it('uses the margin and averages over rows for mean', () => {
    const loss = new MulticlassHingeLoss({ margin: 2 });
    const { value, grad } = loss.compute(Float64Array.of(3.2, 5.1, -1.7, 3.2, 5.1, -1.7), [0, 0], 2);
    expect(value).toBeCloseTo(3.9, 14);
    expect(Array.from(grad)).toEqual([-0.5, 0.5, 0, -0.5, 0.5, 0]);
  });

  // Scores [1, 0, 2] with class 2: the term for class 0 is max(0, 1 - 2 + 1) = 0 exactly, class 1 gives 0 too.
  it('gives no gradient to a term exactly at the margin (torch: z > 0, strictly)', () => {
    const { value, grad } = new MulticlassHingeLoss({ reduction: 'sum' }).compute(Float64Array.of(1, 0, 2), [2], 1);
    expect(value).toBe(0);
    expect(Array.from(grad)).toEqual([0, 0, 0]);
  });
});
