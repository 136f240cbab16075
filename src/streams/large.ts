/**
 * A million-record benchmark stream for logistic regression with 30 features, generated on demand
 * rather than stored: x ~ N(0, I_30), label ~ Bernoulli(sigmoid(w . x + b)).
 * The weights have structure so that the stream also shows regularization: 10 strong, 10 weak and
 * 10 irrelevant features (an L1 learner should drive the last 10 to zero).
 */
import { Rng } from '../math/rng.js';
import { roundTo } from './canonical.js';
import type { StreamDefinition, StreamRecord } from './types.js';

const WEIGHTS = [
  2, -1.8, 1.6, -1.4, 1.2, -1, 0.9, -0.8, 0.7, -0.6,
  0.3, -0.3, 0.25, -0.25, 0.2, -0.2, 0.15, -0.15, 0.1, -0.1,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
] as const;
const BIAS = -0.5;
const FEATURES = WEIGHTS.length;

function* generate(seed: number, records: number): Generator<StreamRecord> {
  const rng = new Rng(seed);
  for (let index = 0; index < records; index++) {
    const features = new Array<number>(FEATURES);
    let logit = BIAS;
    for (let j = 0; j < FEATURES; j++) {
      const x = roundTo(rng.normal(), 3);
      features[j] = x;
      logit += WEIGHTS[j] * x;
    }
    const p = 1 / (1 + Math.exp(-logit));
    yield { features, label: rng.uniform() < p ? 1 : 0 };
  }
}

export const large: StreamDefinition = {
  info: {
    name: 'large',
    task: 'binary',
    description:
      'One million records, 30 positional features, logistic target: the benchmark stream, generated rather than stored.',
    method:
      'x ~ N(0, I_30) rounded to 0.001; label = 1 with probability sigmoid(w . x - 0.5), w = ' +
      '[2, -1.8, 1.6, -1.4, 1.2, -1, 0.9, -0.8, 0.7, -0.6, 0.3, -0.3, 0.25, -0.25, 0.2, -0.2, 0.15, -0.15, 0.1, -0.1, ' +
      'then ten zeros], computed on the rounded features, decided by one uniform draw after the features.',
    featureFormat: 'array',
    featureNames: Array.from({ length: FEATURES }, (_, j) => `x${j}`),
    labelFormat: 'class_index',
    classes: ['negative', 'positive'],
    defaultRecords: 1_000_000,
    defaultSeed: 5,
    file: null,
    generator: 'src/streams/large.ts',
    version: 1,
    recommended: {
      model: { type: 'logistic', inputs: FEATURES },
      loss: { type: 'bce_with_logits' },
      optimizer: { type: 'sgd', lr: 0.1 },
      batchSize: 100,
      standardize: false,
    },
    properties: { bias: BIAS },
  },
  generate,
};
