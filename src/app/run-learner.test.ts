import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../pipeline/dead-letter.js';
import { encodeBinarySamples } from '../pipeline/binary-format.js';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import type { Origin, SourceRecord } from '../sources/types.js';
import { runLearner } from './run-learner.js';

// float64: features like 1e200 decode fine (they overflow float32, which the decoder rejects) and reach the step guard.
const learnerConfig: LearnerConfig = {
  schema: { features: 2, task: 'regression' },
  model: { type: 'linear', dtype: 'float64' },
  loss: { type: 'mse' },
  optimizer: { type: 'sgd', lr: 0.01 },
  batchSize: 2,
  maxWaitMs: Infinity,
  shuffleBuffer: 1,
  standardize: false,
  seed: 1,
};
const learner = () => new Learner(learnerConfig);

const records = (lines: string[]): SourceRecord[] => lines.map((value, index) => ({ value, origin: { kind: 'memory', index } }));
const good = (i: number) => JSON.stringify({ features: [i, 1], label: i });
const index = (o: Origin) => (o as { index: number }).index;

describe('runLearner', () => {
  it('acknowledges every record once, a rejected one only after its dead letter is written', async () => {
    const log: string[] = [];
    const sink = {
      write: async (d: DeadLetter) => {
        await new Promise((r) => setTimeout(r, 5));
        log.push(`dead ${index(d.origin)} ${d.reason}`);
      },
      close: async () => undefined,
    };
    await runLearner(learner(), from(records([good(0), 'oops', good(2), good(3), good(4)])), {
      deadLetters: sink,
      ack: (o) => log.push(`ack ${index(o)}`),
    });
    // The shuffle buffer has capacity 1 (arrival order); batches of 2: [0, 2], [3, 4].
    expect(log).toEqual(['dead 1 not_json', 'ack 1', 'ack 0', 'ack 2', 'ack 3', 'ack 4']);
  });

  it('fails the run and stops acknowledging when a dead letter cannot be written', async () => {
    const acked: number[] = [];
    const sink = { write: async () => Promise.reject(new Error('disk full')), close: async () => undefined };
    await expect(
      runLearner(learner(), from(records([good(0), 'oops', good(2), good(3)])), { deadLetters: sink, ack: (o) => acked.push(index(o)) }),
    ).rejects.toThrow('disk full');
    expect(acked).toEqual([]);
  });

  it('dead-letters every sample of a refused (non-finite) batch with the reason', async () => {
    const letters: DeadLetter[] = [];
    const huge = JSON.stringify({ features: [1e200, 1e200], label: 1 });
    await runLearner(learner(), from(records([huge, good(1)])), {
      deadLetters: { write: async (d) => void letters.push(d), close: async () => undefined },
    });
    expect(letters.map((d) => [index(d.origin), d.reason])).toEqual([
      [0, 'non_finite_loss'],
      [1, 'non_finite_loss'],
    ]);
  });
});

describe('runLearner: records of several samples (binary format)', () => {
  const binaryLearner = () => new Learner({ ...learnerConfig, decode: { format: 'binary' } });
  /** Records 0 and 1 hold 3 samples (1's second has a NaN feature), 2 holds one, 3 is not binary. */
  const binaryRecords = (): SourceRecord[] =>
    [
      encodeBinarySamples({ features: [1, 1, 2, 1, 3, 1], featureCount: 2, labels: [1, 2, 3] }),
      encodeBinarySamples({ features: [4, 1, NaN, 1, 6, 1], featureCount: 2, labels: [4, 5, 6] }),
      encodeBinarySamples({ features: [7, 1], featureCount: 2, labels: [7] }),
      Buffer.from('not binary'),
    ].map((value, i) => ({ value, origin: { kind: 'memory', index: i } }));

  it("acknowledges a record once, when its last sample's step is applied", async () => {
    const l = binaryLearner();
    const log: string[] = [];
    await runLearner(l, from(binaryRecords()), { ack: (o) => log.push(`ack ${index(o)} after ${l.counters.samplesTrained} trained`) });
    // A shuffle buffer of capacity 1 emits each sample when the next arrives (the last on completion), so
    // with batches of 2 the steps are [0.0 0.1] at 0.2's arrival, [0.2 1.0] at 1.2's (after 1.1 was
    // rejected), and [1.2 2] at completion (after 3 was rejected): record 0 is done with the second step
    // (4 trained), record 1 with the third (6 trained), though its rejected sample came before.
    expect(log).toEqual(['ack 0 after 4 trained', 'ack 3 after 4 trained', 'ack 1 after 6 trained', 'ack 2 after 6 trained']);
    expect(l.summary()).toMatchObject({ records: 4, samples: 6, rejected: 2, rejectedByReason: { non_finite: 1, bad_magic: 1 } });
  });

  it('dead-letters a refused sample with its part, and acknowledges its record only after that write', async () => {
    const log: string[] = [];
    const sink = {
      write: async (d: DeadLetter) => {
        await new Promise((r) => setTimeout(r, 5));
        log.push(`dead ${index(d.origin)}${d.part === undefined ? '' : ` #${d.part.index}/${d.part.count}`} ${d.reason}`);
      },
      close: async () => undefined,
    };
    await runLearner(binaryLearner(), from(binaryRecords()), { deadLetters: sink, ack: (o) => log.push(`ack ${index(o)}`) });
    // In processing order (see above): 1.1's letter, the second step (record 0 done), 3's letter, the third step.
    expect(log).toEqual(['dead 1 #1/3 non_finite', 'ack 0', 'dead 3 bad_magic', 'ack 3', 'ack 1', 'ack 2']);
  });
});
