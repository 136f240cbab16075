/**
 * The chapter's worked example (shared/spec/numerics.md): classify Statsville residents as man, woman
 * or child from height (cm) and weight (kg) with a 2 -> 100 -> 3 network (Xavier-uniform weights, zero
 * biases), softmax cross-entropy, SGD lr 0.02, batch 10, standardized inputs. Claim: after one pass over
 * 10,000 shuffled samples almost all points are classified correctly. Checked on 2,000 fresh residents
 * the model never saw.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/rng.js';
import { OnlineStandardizer } from '../../src/pipeline/welford.js';
import { streamRecords } from '../../src/streams/catalogue.js';
import { createTrainingSetup } from '../../src/training/setup.js';

const CLASSES = ['man', 'woman', 'child'];

function residents(seed: number, n: number): Array<{ x: number[]; y: number }> {
  return Array.from(streamRecords('statsville', { seed, records: n }), (r) => {
    const f = r.features as Record<string, number>;
    return { x: [f.height_cm, f.weight_kg], y: CLASSES.indexOf(r.label as string) };
  });
}

describe("the chapter's Statsville classifier", () => {
  for (const activation of ['relu', 'identity'] as const) {
    it(`2 -> 100 -> 3 (${activation}), SGD lr 0.02, batch 10: >= 95% of unseen residents after one pass over 10,000`, () => {
      const train = residents(1, 10_000);
      new Rng(2).shuffleInPlace(train);
      // Standardization statistics come from the training pass only (Welford, as the pipeline does).
      const standardizer = new OnlineStandardizer(2);
      const { trainer, model, assembler } = createTrainingSetup({
        task: 'multiclass',
        inputs: 2,
        classes: 3,
        model: { type: 'mlp', hidden: [100], activation, init: 'xavier_uniform' },
        loss: { type: 'softmax_cross_entropy' },
        optimizer: { type: 'sgd', lr: 0.02 },
        seed: 3,
      });
      for (let i = 0; i < train.length; i += 10) {
        const batch = train.slice(i, i + 10).map((s) => ({ x: Array.from(standardizer.updateAndTransform(Float64Array.from(s.x))), y: s.y, weight: 1 }));
        expect(trainer.step(assembler.assemble(batch)).applied).toBe(true);
      }
      const test = residents(77, 2_000);
      let correct = 0;
      for (const s of test) {
        const probabilities = model.predict(Float32Array.from(standardizer.transform(Float64Array.from(s.x))), 1);
        let best = 0;
        for (let c = 1; c < 3; c++) if (probabilities[c] > probabilities[best]) best = c;
        if (best === s.y) correct++;
      }
      expect(correct / test.length).toBeGreaterThanOrEqual(0.95);
    });
  }
});
