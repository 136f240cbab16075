import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import type { SourceRecord } from '../sources/types.js';
import { describePosition, openRunCheckpoints } from './run-checkpoints.js';

const config: LearnerConfig = {
  schema: { features: 1, task: 'regression' },
  model: { type: 'linear' },
  loss: { type: 'mse' },
  optimizer: { type: 'sgd', lr: 0.01 },
  batchSize: 2,
  maxWaitMs: Infinity,
  shuffleBuffer: 1,
  standardize: false,
  seed: 0,
};

const root = mkdtempSync(join(tmpdir(), 'ol-run-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lines = (first: number, last: number): SourceRecord[] =>
  Array.from({ length: last - first + 1 }, (_, i) => ({ value: JSON.stringify({ features: [first + i], label: first + i }), origin: { kind: 'file', path: 'in.jsonl', line: first + i } }));

async function run(learner: Learner, dir: string, records: SourceRecord[], log: string[]) {
  const checkpoints = await openRunCheckpoints(learner, {
    dir,
    keep: 2,
    everySteps: 2,
    everySeconds: Infinity,
    start: { kind: 'file', path: 'in.jsonl', nextLine: 1 },
    log: (line) => log.push(line),
  });
  await new Promise<void>((resolve, reject) =>
    learner.run(checkpoints.track(from(records))).subscribe({ next: (e) => checkpoints.onEvent(e), error: reject, complete: resolve }),
  );
  const saved = await checkpoints.finish();
  return { checkpoints, saved };
}

describe('openRunCheckpoints', () => {
  it('starts from the beginning without a checkpoint, and a later run resumes from the final one, saying so', async () => {
    const dir = join(root, 'a');
    const log: string[] = [];
    const first = await run(new Learner(config), dir, lines(1, 7), log);
    expect(first.checkpoints.resumeFrom).toBe(null);
    expect(log).toEqual([`checkpoint: none in ${dir}; starting from the beginning of the stream`]);
    expect(first.saved?.id).toMatch(/^checkpoint-\d{12}\.safetensors$/);
    expect(readdirSync(dir).length).toBeLessThanOrEqual(2);

    const second: string[] = [];
    const learner = new Learner({ ...config, optimizer: { type: 'sgd', lr: 0.005 } });
    const resumed = await run(learner, dir, lines(8, 10), second);
    expect(resumed.checkpoints.resumeFrom).toEqual({ kind: 'file', path: 'in.jsonl', nextLine: 8 });
    expect(second).toEqual([
      expect.stringMatching(/^checkpoint: resumed from checkpoint-\d{12}\.safetensors \(taken .*\): step 4, 7 records read, 0 in the shuffle buffer; continuing at line 8 of in\.jsonl$/),
      'checkpoint: config changed since the checkpoint, applies from the next step: optimizer.lr: 0.01 -> 0.005',
    ]);
    expect(learner.counters.records).toBe(10);
    // 7 records in batches of 2 gave 4 steps (the last a flush of 1); 3 more give 2.
    expect(learner.counters.batchesApplied).toBe(6);
  });

  it('describes positions for log lines', () => {
    expect(describePosition({ kind: 'kafka', offsets: { t: { 0: '5', 1: '7' } } })).toBe('t[0]@5, t[1]@7');
    expect(describePosition({ kind: 'memory', nextIndex: 3 })).toBe('record 3');
  });
});
