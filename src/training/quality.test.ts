import { describe, expect, it } from 'vitest';
import { PrequentialQuality } from './quality.js';

describe('PrequentialQuality', () => {
  it('scores multiclass logits by argmax and log-loss by softmax', () => {
    const q = new PrequentialQuality('multiclass', 'logits', 3, 2);
    // Row 0: logits (0, ln 3, 0) → softmax (1/5, 3/5, 1/5), predicted 1, label 1: hit, log-loss -ln(3/5).
    // Row 1: logits (0, 0, 0) → 1/3 each, argmax picks the first (0), label 2: miss, log-loss ln 3.
    q.observe(new Float64Array([0, Math.log(3), 0, 0, 0, 0]), {
      size: 2,
      x: new Float64Array(2),
      targets: new Int32Array([1, 2]),
      weights: null,
    });
    const s = q.snapshot();
    expect(s.samples).toBe(2);
    expect(s.accuracy).toBe(0.5);
    expect(s.logLoss).toBeCloseTo((-Math.log(3 / 5) + Math.log(3)) / 2, 12);
    expect(s.rmse).toBeNull();
  });

  it('scores binary probabilities at the 0.5 threshold with dense 0/1 targets', () => {
    const q = new PrequentialQuality('binary', 'probabilities', 1);
    q.observe(new Float64Array([0.9, 0.4, 0.6]), {
      size: 3,
      x: new Float64Array(3),
      targets: new Float64Array([1, 0, 0]),
      weights: null,
    });
    const s = q.snapshot();
    expect(s.accuracy).toBeCloseTo(2 / 3, 12);
    expect(s.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.4)) / 3, 12);
  });

  it('keeps whole-run and window figures apart for regression', () => {
    const q = new PrequentialQuality('regression', 'values', 1, 2);
    const batch = (t: number[]) => ({ size: t.length, x: new Float64Array(t.length), targets: new Float64Array(t), weights: null });
    q.observe(new Float64Array([1, 1, 1]), batch([0, 1, 3])); // squared errors 1, 0, 4
    const s = q.snapshot();
    expect(s.rmse).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(s.windowRmse).toBeCloseTo(Math.sqrt(2), 12); // last two: (0 + 4) / 2
    expect(s.accuracy).toBeNull();
    expect(s.logLoss).toBeNull();
  });

  it('resumes from its state', () => {
    const a = new PrequentialQuality('multiclass', 'probabilities', 2, 3);
    const b1 = { size: 2, x: new Float64Array(2), targets: new Int32Array([0, 1]), weights: null };
    a.observe(new Float64Array([0.8, 0.2, 0.7, 0.3]), b1);
    const b = new PrequentialQuality('multiclass', 'probabilities', 2, 3);
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    a.observe(new Float64Array([0.1, 0.9, 0.1, 0.9]), b1);
    b.observe(new Float64Array([0.1, 0.9, 0.1, 0.9]), b1);
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it("takes each hard-labelled row's log-loss from the loss's values, clipped like p at 1e-15", () => {
    const q = new PrequentialQuality('binary', 'logits', 1);
    // Logits 2, -1, 0.5 with targets 1, 1, 0.25: the first two rows are hard labels and take the given
    // values (0.1 and 50, the second clipped to -log 1e-15); the soft third row (label 0, 0.25 < 0.5) is
    // scored from its logit: p(label 0) = 1 - sigmoid(0.5), so -log(1 - sigmoid(0.5)) = log(1 + e^0.5).
    q.observe(
      new Float64Array([2, -1, 0.5]),
      { size: 3, x: new Float64Array(3), targets: new Float64Array([1, 1, 0.25]), weights: null },
      new Float64Array([0.1, 50, 123]),
    );
    const s = q.snapshot();
    expect(s.logLoss).toBeCloseTo((0.1 + -Math.log(1e-15) + Math.log(1 + Math.exp(0.5))) / 3, 12);
    // Predicted by the sign of the logit: 1, 0, 1 against labels 1, 1, 0.
    expect(s.accuracy).toBeCloseTo(1 / 3, 12);
  });

  it('ignores the loss values for probability-row targets', () => {
    const q = new PrequentialQuality('multiclass', 'logits', 2);
    // Logits (0, 0): p = 1/2 each; target row (0.2, 0.8) has label 1, log-loss ln 2 from the outputs.
    q.observe(
      new Float64Array([0, 0]),
      { size: 1, x: new Float64Array(2), targets: new Float64Array([0.2, 0.8]), weights: null },
      new Float64Array([7]),
    );
    expect(q.snapshot().logLoss).toBeCloseTo(Math.log(2), 12);
  });
});
