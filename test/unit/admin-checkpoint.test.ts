/**
 * POST /admin/checkpoint on a running train job (issue 7): the job's checkpointer takes a checkpoint at
 * the next step boundary and the route answers once it is durable, with its file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatMap, from, map, timer } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { startObservability } from '../../src/app/observability.js';
import type { Observability } from '../../src/app/observability.js';
import { runTrainJob } from '../../src/app/train-job.js';
import type { RecordSource } from '../../src/app/train-job.js';
import { decodeCheckpoint } from '../../src/checkpoint/codec.js';
import { resolveConfig } from '../../src/config/load.js';
import type { SourceRecord } from '../../src/sources/types.js';

const dir = mkdtempSync(join(tmpdir(), 'ol-admin-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RECORDS = 400;
/** One record every millisecond from `first` on: the job runs for about half a second. */
function pacedSource(): RecordSource {
  const records = (first: number) =>
    from(Array.from({ length: RECORDS - first }, (_, i) => first + i)).pipe(
      concatMap((index) => timer(1).pipe(map((): SourceRecord => ({ value: JSON.stringify({ features: [index % 7, index % 3], label: index % 5 }), origin: { kind: 'memory', index } })))),
    );
  return {
    description: 'paced memory records',
    records: records(0),
    total: RECORDS,
    sample: async () => null,
    resume: { start: { kind: 'memory', nextIndex: 0 }, from: (position) => records(position?.kind === 'memory' ? position.nextIndex : 0) },
  };
}

describe('POST /admin/checkpoint during a train job', () => {
  it('answers with the file of a durable checkpoint taken at the next step', async () => {
    const token = 'test-admin-token';
    const config = resolveConfig({
      file: {
        label: 'test',
        values: {
        schema: { features: 2, task: 'regression' },
        model: { type: 'linear' },
        training: { batchSize: 4, shuffleBuffer: 1, maxWaitMs: 1e9 },
        checkpoint: { dir, everySteps: 1e6, everySeconds: 1e6 },
        server: { port: 0 },
        },
      },
    });
    const previous = process.env.LEARNER_ADMIN_TOKEN;
    process.env.LEARNER_ADMIN_TOKEN = token;
    let observability: Observability | null = null;
    let answer: Promise<{ status: number; body: { path?: string } }> | null = null;
    try {
      const job = runTrainJob(config, {
        source: pacedSource(),
        progress: false,
        log: { write: () => true } as unknown as NodeJS.WritableStream,
        onLearner: async (learner, controls) => {
          observability = await startObservability(learner, config, { write: () => true } as unknown as NodeJS.WritableStream, controls);
        },
        onEvent: (_event, learner) => {
          if (answer === null && learner.counters.batchesApplied === 10) {
            const url = `${observability!.server!.url}/admin/checkpoint`;
            answer = fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).then(async (res) => ({ status: res.status, body: (await res.json()) as { path?: string } }));
          }
        },
      });
      const { summary } = await job;
      const res = await answer!;
      expect(res.status).toBe(200);
      expect(existsSync(res.body.path!)).toBe(true);
      const checkpoint = decodeCheckpoint(readFileSync(res.body.path!));
      // Asked after step 10, taken at a later step boundary, before the end of the run.
      expect(checkpoint.counters.batchesApplied).toBeGreaterThan(10);
      expect(checkpoint.counters.batchesApplied).toBeLessThan(summary.steps);
    } finally {
      await (observability as Observability | null)?.close();
      if (previous === undefined) delete process.env.LEARNER_ADMIN_TOKEN;
      else process.env.LEARNER_ADMIN_TOKEN = previous;
    }
  });
});
