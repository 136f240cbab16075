/**
 * Abrupt concept drift: x ~ N(0, I_2); before record index floor(records / 2) the label is
 * [x1 + x2 > 0], from that index on it is [x1 - x2 > 0], the boundary rotated by 90 degrees. Labels
 * flip with probability 0.02 throughout. Right after the drift a converged model is right on about
 * half the records; prequential accuracy shows the drop and the recovery.
 */
import { Rng } from '../math/rng.js';
import { roundTo } from './canonical.js';
import type { StreamDefinition, StreamRecord } from './types.js';

const LABEL_NOISE = 0.02;
const DEFAULT_RECORDS = 10_000;

/** Index (0-based, = line number - 1) of the first record labelled by the new concept. */
export function driftIndex(records: number): number {
  return Math.floor(records / 2);
}

function* generate(seed: number, records: number): Generator<StreamRecord> {
  const rng = new Rng(seed);
  const switchAt = driftIndex(records);
  for (let index = 0; index < records; index++) {
    const x1 = roundTo(rng.normal(), 3);
    const x2 = roundTo(rng.normal(), 3);
    // The label is computed from the rounded values so that it is exact for the emitted record.
    const margin = index < switchAt ? x1 + x2 : x1 - x2;
    const noisy = rng.bernoulli(LABEL_NOISE);
    yield { features: { x1, x2 }, label: (margin > 0) !== noisy ? 1 : 0 };
  }
}

export const drift: StreamDefinition = {
  info: {
    name: 'drift',
    task: 'binary',
    description:
      'Binary concept drift: the class boundary rotates by 90 degrees abruptly at record index 5000 of 10,000.',
    method:
      'x1, x2 ~ N(0, 1), rounded to 0.001. For record index i < floor(records / 2): label = [x1 + x2 > 0]; ' +
      'from then on label = [x1 - x2 > 0]; each label flipped with probability 0.02. Labels 0/1.',
    featureFormat: 'object',
    featureNames: ['x1', 'x2'],
    labelFormat: 'class_index',
    classes: ['negative', 'positive'],
    defaultRecords: DEFAULT_RECORDS,
    defaultSeed: 4,
    file: 'drift.jsonl.gz',
    generator: 'src/streams/drift.ts',
    version: 1,
    recommended: {
      model: { type: 'logistic', inputs: 2 },
      loss: { type: 'bce_with_logits' },
      optimizer: { type: 'sgd', lr: 0.1 },
      batchSize: 10,
      standardize: true,
    },
    properties: { driftIndex: driftIndex(DEFAULT_RECORDS), labelNoise: LABEL_NOISE },
  },
  generate,
};
