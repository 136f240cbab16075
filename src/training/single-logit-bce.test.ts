import { describe, expect, it } from 'vitest';
import { createLoss } from '../losses/registry.js';
import type { LossConfig } from '../losses/types.js';
import { Rng } from '../math/rng.js';
import type { DType } from '../math/tensor.js';
import { createModel } from '../model/registry.js';
import type { Model } from '../model/types.js';
import { createOptimizer } from '../optim/registry.js';
import type { OptimizerConfig } from '../optim/types.js';
import type { LabeledExample } from './minibatch.js';
import { MinibatchAssembler } from './minibatch.js';
import { SingleLogitBce } from './single-logit-bce.js';
import type { RegularizationConfig, StepReport } from './trainer.js';
import { Trainer } from './trainer.js';

const INPUTS = 7;
const STEPS = 300;

function learner(fuse: boolean, dtype: DType, optimizer: OptimizerConfig, regularization: RegularizationConfig, loss: LossConfig) {
  const model = createModel({ type: 'logistic', inputs: INPUTS, dtype, output: 'identity', init: 'xavier_uniform' }, { rng: new Rng(4) });
  const trainer = new Trainer({
    model,
    lossConfig: loss,
    optimizer: createOptimizer(optimizer),
    task: 'binary',
    outputKind: 'logits',
    rng: new Rng(5),
    regularization,
    updateRatioEverySteps: 7,
    fuse,
  });
  return { model, trainer, assembler: new MinibatchAssembler(INPUTS, 1, dtype, 'dense') };
}

/** Batches of 1, 5 and 32 rows; every fourth batch carries non-unit weights; a few soft (0.3) labels. */
function batches(): LabeledExample[][] {
  const rng = new Rng(9);
  const out: LabeledExample[][] = [];
  for (let s = 0; s < STEPS; s++) {
    const size = [1, 1, 5, 32][s % 4];
    const weighted = s % 4 === 3;
    const batch: LabeledExample[] = [];
    for (let r = 0; r < size; r++) {
      const x = Array.from({ length: INPUTS }, () => 2 * rng.normal());
      const score = x[0] - x[1] + 0.5 * x[2];
      const y = rng.uniform() < 0.05 ? 0.3 : rng.uniform() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
      batch.push({ x, y, weight: weighted ? 0.5 + rng.uniform() : 1 });
    }
    out.push(batch);
  }
  return out;
}

const DATA = batches();

function bits(values: ArrayLike<number>): string[] {
  const view = new DataView(new ArrayBuffer(8));
  return Array.from(values, (v) => {
    view.setFloat64(0, v);
    return view.getBigUint64(0).toString(16);
  });
}

const CASES: { name: string; optimizer: OptimizerConfig; regularization: RegularizationConfig; loss: LossConfig }[] = [
  { name: 'sgd', optimizer: { type: 'sgd', lr: 0.05 }, regularization: {}, loss: { type: 'bce_with_logits' } },
  {
    name: 'sgd with momentum, weight decay, L2 and clipping',
    optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-3 },
    regularization: { l2: 1e-3, clipGradNorm: 2, excludeBiases: false },
    loss: { type: 'bce_with_logits' },
  },
  { name: 'adam with L2', optimizer: { type: 'adam', lr: 0.01 }, regularization: { l2: 1e-3 }, loss: { type: 'bce_with_logits' } },
  {
    name: 'adam with L1 (proximal), sum reduction',
    optimizer: { type: 'adam', lr: 0.01 },
    regularization: { l1: 1e-3 },
    loss: { type: 'bce_with_logits', reduction: 'sum' },
  },
];

describe('SingleLogitBce: the fused logistic step against the general path', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const c of CASES) {
      it(`${c.name}, ${dtype}: ${STEPS} steps of 1, 5 and 32 rows (some weighted) give bit-identical parameters, reports and quality`, () => {
        const fused = learner(true, dtype, c.optimizer, c.regularization, c.loss);
        const general = learner(false, dtype, c.optimizer, c.regularization, c.loss);
        const initial = bits(general.model.params['dense0.weight']);
        const reports: [StepReport, StepReport][] = [];
        for (const batch of DATA) {
          reports.push([fused.trainer.step(fused.assembler.assemble(batch)), general.trainer.step(general.assembler.assemble(batch))]);
        }
        for (const [a, b] of reports) expect(a).toEqual(b);
        for (const name of Object.keys(general.model.params)) {
          expect(bits(fused.model.params[name])).toEqual(bits(general.model.params[name]));
        }
        expect(fused.trainer.getState()).toEqual(general.trainer.getState());
        expect(fused.trainer.optimizer.getState()).toEqual(general.trainer.optimizer.getState());
        // The runs moved: a parity check on a model that never changed would prove nothing.
        expect(reports.every(([a]) => a.applied)).toBe(true);
        expect(bits(fused.model.params['dense0.weight'])).not.toEqual(initial);
      });
    }
  }

  it('is chosen only for one dense layer emitting a logit with bce_with_logits (no posWeight, not unreduced)', () => {
    const logistic = createModel({ type: 'logistic', inputs: 3, output: 'identity' });
    const select = (model: Model, loss: LossConfig) => SingleLogitBce.select(model, createLoss(loss));
    expect(select(logistic, { type: 'bce_with_logits' })).not.toBeNull();
    expect(select(logistic, { type: 'bce_with_logits', posWeight: 2 })).toBeNull();
    expect(select(logistic, { type: 'bce_with_logits', reduction: 'none' })).toBeNull();
    expect(select(logistic, { type: 'focal' })).toBeNull();
    expect(select(createModel({ type: 'logistic', inputs: 3, output: 'sigmoid' }), { type: 'bce_with_logits' })).toBeNull();
    expect(select(createModel({ type: 'mlp', inputs: 3, hidden: [4], outputs: 1 }), { type: 'bce_with_logits' })).toBeNull();
  });
});
