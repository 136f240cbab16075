import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../pipeline/dead-letter.js';
import { Learner } from '../pipeline/learner.js';
import type { Origin, SourceRecord } from '../sources/types.js';
import { runLearner } from './run-learner.js';

// float64: features like 1e200 decode fine (they overflow float32, which the decoder rejects) and reach the step guard.
const learner = () =>
  new Learner({
    schema: { features: 2, task: 'regression' },
    model: { type: 'linear', dtype: 'float64' },
    loss: { type: 'mse' },
    optimizer: { type: 'sgd', lr: 0.01 },
    batchSize: 2,
    maxWaitMs: Infinity,
    shuffleBuffer: 1,
    standardize: false,
    seed: 1,
  });

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
