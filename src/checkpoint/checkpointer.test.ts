import { concatMap, from, lastValueFrom, map, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import type { SourceRecord } from '../sources/types.js';
import { Checkpointer, restoreLatest } from './checkpointer.js';
import { PositionTracker } from './position.js';
import { CheckpointTrigger } from './trigger.js';
import type { Checkpoint, CheckpointStore, SavedCheckpoint } from './types.js';

const config: LearnerConfig = {
  schema: { features: 1, task: 'regression' },
  model: { type: 'linear' },
  loss: { type: 'mse' },
  optimizer: { type: 'sgd', lr: 0.1 },
  batchSize: 2,
  maxWaitMs: Infinity,
  shuffleBuffer: 3,
  standardize: false,
  seed: 0,
};

const records = (n: number): SourceRecord[] =>
  Array.from({ length: n }, (_, index) => ({ value: JSON.stringify({ features: [index], label: 2 * index }), origin: { kind: 'memory', index } }));

/** One record per macrotask, as a real source delivers them, so writes complete between records. */
const paced = (input: SourceRecord[]) => from(input).pipe(concatMap((record) => timer(0).pipe(map(() => record))));

/** Saves resolve when the test says so; `failNext` makes the next one reject. */
class ManualStore implements CheckpointStore {
  readonly description = 'manual';
  readonly saved: Checkpoint[] = [];
  readonly pending: Array<() => void> = [];
  failNext = false;
  autoResolve = true;

  save(checkpoint: Checkpoint): Promise<SavedCheckpoint> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('disk full'));
    }
    return new Promise((resolve) => {
      const done = () => {
        this.saved.push(checkpoint);
        resolve({ id: String(this.saved.length), bytes: 1, durationMs: 0 });
      };
      if (this.autoResolve) done();
      else this.pending.push(done);
    });
  }

  async latest() {
    const checkpoint = this.saved.at(-1);
    return checkpoint === undefined ? null : { checkpoint, id: String(this.saved.length), warnings: [] };
  }

  async close() {}
}

function checkpointed(store: CheckpointStore, everySteps: number, extra: Partial<ConstructorParameters<typeof Checkpointer>[0]> = {}) {
  const learner = new Learner(config);
  const checkpointer = new Checkpointer({
    learner,
    store,
    trigger: new CheckpointTrigger({ everySteps, everySeconds: Infinity }),
    tracker: new PositionTracker({ kind: 'memory', nextIndex: 0 }),
    ...extra,
  });
  const run = (input: SourceRecord[]) => lastValueFrom(learner.run(checkpointer.track(from(input))).pipe(toArray())).then((events) => events.forEach((e) => checkpointer.onEvent(e)));
  return { learner, checkpointer, run };
}

describe('Checkpointer', () => {
  it('checkpoints every N applied steps with the position of that moment, and once more at the end', async () => {
    const store = new ManualStore();
    const reasons: string[] = [];
    const learner = new Learner(config);
    const checkpointer = new Checkpointer({
      learner,
      store,
      trigger: new CheckpointTrigger({ everySteps: 3, everySeconds: Infinity }),
      tracker: new PositionTracker({ kind: 'memory', nextIndex: 0 }),
      onSaved: (_saved, _checkpoint, reason) => reasons.push(reason),
    });
    // Events are handled as they come (synchronously), as the composition root does.
    await new Promise<void>((resolve, reject) =>
      learner.run(checkpointer.track(paced(records(20)))).subscribe({ next: (e) => checkpointer.onEvent(e), error: reject, complete: resolve }),
    );
    await checkpointer.finish();
    // Shuffle 3, batch 2: step k comes with record 2 + 2k (index 8 for step 3, 14 for step 6); the
    // 17 records after the first 3 give 8 steps, the drain of the 3 residents 2 more.
    expect(store.saved.map((c) => [c.counters.batchesApplied, c.position])).toEqual([
      [3, { kind: 'memory', nextIndex: 9 }],
      [6, { kind: 'memory', nextIndex: 15 }],
      // During the drain: every record read, two residents left.
      [9, { kind: 'memory', nextIndex: 20 }],
      [10, { kind: 'memory', nextIndex: 20 }],
    ]);
    expect(store.saved.map((c) => c.residents.length)).toEqual([3, 3, 2, 0]);
    expect(reasons).toEqual(['steps', 'steps', 'steps', 'stop']);
  });

  it('takes no new checkpoint while a write is in flight; the trigger stays due until one is taken', async () => {
    const store = new ManualStore();
    store.autoResolve = false;
    const learner = new Learner(config);
    const checkpointer = new Checkpointer({ learner, store, trigger: new CheckpointTrigger({ everySteps: 1, everySeconds: Infinity }), tracker: new PositionTracker({ kind: 'memory', nextIndex: 0 }) });
    const input = records(12);
    const subscription = learner.run(checkpointer.track(from(input))).subscribe((e) => checkpointer.onEvent(e));
    subscription.unsubscribe();
    // One capture at step 1; steps 2..5 found the write in flight.
    expect(store.pending.length).toBe(1);
    store.pending[0]();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.saved.map((c) => c.counters.batchesApplied)).toEqual([1]);
  });

  it('reports a failed write and tries again at the next step', async () => {
    const store = new ManualStore();
    store.failNext = true;
    const errors: unknown[] = [];
    const learner = new Learner(config);
    const checkpointer = new Checkpointer({
      learner,
      store,
      trigger: new CheckpointTrigger({ everySteps: 2, everySeconds: Infinity }),
      tracker: new PositionTracker({ kind: 'memory', nextIndex: 0 }),
      onError: (e) => errors.push(e),
    });
    await new Promise<void>((resolve, reject) =>
      learner.run(checkpointer.track(paced(records(10)))).subscribe({ next: (e) => checkpointer.onEvent(e), error: reject, complete: resolve }),
    );
    await checkpointer.finish();
    expect(errors).toEqual([new Error('disk full')]);
    // Step 2 failed, step 3 was still due; then step 5 (in the drain) and the final one.
    expect(store.saved.map((c) => c.counters.batchesApplied)).toEqual([3, 5, 5]);
  });

  it('answers a request with the checkpoint taken at the next step boundary, and one left over with the final checkpoint', async () => {
    const store = new ManualStore();
    const reasons: string[] = [];
    const learner = new Learner(config);
    const checkpointer = new Checkpointer({
      learner,
      store,
      trigger: new CheckpointTrigger({ everySteps: Infinity, everySeconds: Infinity }),
      tracker: new PositionTracker({ kind: 'memory', nextIndex: 0 }),
      onSaved: (_saved, _checkpoint, reason) => reasons.push(reason),
    });
    const input = records(12);
    let requested: Promise<SavedCheckpoint> | null = null;
    let late: Promise<SavedCheckpoint> | null = null;
    await new Promise<void>((resolve, reject) =>
      learner.run(checkpointer.track(paced(input))).subscribe({
        next: (e) => {
          checkpointer.onEvent(e);
          // Asked between step 2 and step 3: taken at step 3.
          if (learner.counters.batchesApplied === 2 && requested === null) requested = checkpointer.request();
        },
        error: reject,
        complete: () => {
          // No step comes any more: the final checkpoint answers.
          late = checkpointer.request();
          resolve();
        },
      }),
    );
    await checkpointer.finish();
    expect(await requested).toEqual({ id: '1', bytes: 1, durationMs: 0 });
    expect(await late).toEqual({ id: '2', bytes: 1, durationMs: 0 });
    expect(store.saved.map((c) => c.counters.batchesApplied)).toEqual([3, 6]);
    expect(reasons).toEqual(['request', 'stop']);
  });

  it('finish() rejects when the final checkpoint cannot be written', async () => {
    const store = new ManualStore();
    const { checkpointer, run } = checkpointed(store, 100);
    await run(records(4));
    store.failNext = true;
    await expect(checkpointer.finish()).rejects.toThrow('disk full');
  });

  it('restoreLatest: null on an empty store, else the newest checkpoint restored', async () => {
    const store = new ManualStore();
    expect(await restoreLatest(new Learner(config), store)).toBe(null);
    const { checkpointer, run } = checkpointed(store, 100);
    await run(records(5));
    await checkpointer.finish();
    const restored = await restoreLatest(new Learner(config), store);
    expect(restored?.report.position).toEqual({ kind: 'memory', nextIndex: 5 });
  });
});
