// The analytic gradient of every loss against central differences of its own value, in float64, at
// points away from kinks and clamps: (f(x + h e_k) - f(x - h e_k)) / 2h with h = 1e-6 has truncation
// error O(h^2) and round-off about 1e-16 |f| / h, far below the 1e-6 tolerance.
import { describe, expect, it } from 'vitest';
import { Rng } from '../math/rng.js';
import { createLoss } from './registry.js';
import type { LossConfig } from './types.js';

const H = 1e-6;
const BATCH = 3;
const CLASSES = 4;

interface Setup {
  config: LossConfig;
  scores: (rng: Rng) => number;
  /** Dense targets (one per score) or class indices (one per row). */
  targets: (rng: Rng) => number[];
}

const denseOf = (draw: (rng: Rng) => number) => (rng: Rng) => Array.from({ length: BATCH * CLASSES }, () => draw(rng));
const indices = (rng: Rng) => Array.from({ length: BATCH }, () => rng.int(CLASSES));
const probabilityRows = (rng: Rng) => {
  const t: number[] = [];
  for (let i = 0; i < BATCH; i++) {
    const row = Array.from({ length: CLASSES }, () => rng.uniform());
    const s = row.reduce((a, b) => a + b, 0);
    for (const v of row) t.push(v / s);
  }
  return t;
};
const binary = (rng: Rng) => (rng.uniform() < 0.5 ? 0 : 1);
const logit = (rng: Rng) => rng.normal(0, 3);
// Strictly inside (0, 1) so that neither the log clamp nor the 1e-12 floor of bce is reached.
const probability = (rng: Rng) => rng.uniformRange(0.05, 0.95);

const SETUPS: Setup[] = [
  { config: { type: 'mse' }, scores: (rng) => rng.normal(), targets: denseOf((rng) => rng.normal()) },
  { config: { type: 'bce' }, scores: probability, targets: denseOf((rng) => rng.uniform()) },
  { config: { type: 'bce_with_logits' }, scores: logit, targets: denseOf(binary) },
  { config: { type: 'bce_with_logits', posWeight: 3 }, scores: logit, targets: denseOf((rng) => rng.uniform()) },
  { config: { type: 'focal' }, scores: logit, targets: denseOf(binary) },
  { config: { type: 'focal', gamma: 0, alpha: -1 }, scores: logit, targets: denseOf(binary) },
  { config: { type: 'focal', gamma: 0.5, alpha: 0.75 }, scores: logit, targets: denseOf((rng) => rng.uniform()) },
  { config: { type: 'cross_entropy' }, scores: probability, targets: indices },
  { config: { type: 'cross_entropy' }, scores: probability, targets: probabilityRows },
  { config: { type: 'softmax_cross_entropy' }, scores: logit, targets: indices },
  {
    config: { type: 'softmax_cross_entropy', classWeights: [0.5, 2, 1, 0.1], labelSmoothing: 0.1 },
    scores: logit,
    targets: indices,
  },
  {
    config: { type: 'softmax_cross_entropy', classWeights: [0.5, 2, 1, 0.1], labelSmoothing: 0.2 },
    scores: logit,
    targets: probabilityRows,
  },
  { config: { type: 'multiclass_hinge' }, scores: (rng) => rng.normal(), targets: indices },
  { config: { type: 'multiclass_hinge', margin: 2 }, scores: (rng) => rng.normal(), targets: indices },
];

function describeSetup(s: Setup, layout: string): string {
  const { type, ...options } = s.config;
  return `${type} ${JSON.stringify(options)} with ${layout}`;
}

describe('gradients agree with central differences of the value', () => {
  SETUPS.forEach((setup, n) => {
    const rng = new Rng(1000 + n);
    const scores = Float64Array.from({ length: BATCH * CLASSES }, () => setup.scores(rng));
    const targets = setup.targets(rng);
    const layout = targets.length === BATCH ? 'class indices' : 'dense targets';
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      it(`${describeSetup(setup, layout)} [${reduction}]`, () => {
        const loss = createLoss({ ...setup.config, reduction } as LossConfig);
        const grad = Float64Array.from(loss.compute(scores, targets, BATCH).grad);
        for (let k = 0; k < scores.length; k++) {
          const x = scores[k];
          scores[k] = x + H;
          const up = loss.compute(scores, targets, BATCH).value;
          scores[k] = x - H;
          const down = loss.compute(scores, targets, BATCH).value;
          scores[k] = x;
          const numeric = (up - down) / (2 * H);
          expect(Math.abs(grad[k] - numeric), `d/dscores[${k}]: ${grad[k]} vs ${numeric}`).toBeLessThan(
            1e-6 * Math.max(1, Math.abs(numeric)),
          );
        }
      });
    }
  });

  it('the hinge points above are away from kinks (every margin term is at least 1e-3 from 0)', () => {
    SETUPS.forEach((setup, n) => {
      if (setup.config.type !== 'multiclass_hinge') return;
      const rng = new Rng(1000 + n);
      const scores = Float64Array.from({ length: BATCH * CLASSES }, () => setup.scores(rng));
      const targets = setup.targets(rng);
      const margin = setup.config.margin ?? 1;
      for (let i = 0; i < BATCH; i++) {
        for (let j = 0; j < CLASSES; j++) {
          if (j === targets[i]) continue;
          const z = margin - scores[i * CLASSES + targets[i]] + scores[i * CLASSES + j];
          expect(Math.abs(z)).toBeGreaterThan(1e-3);
        }
      }
    });
  });
});
