/**
 * Issue 7, acceptance 1-4, with real processes on a real broker: `online-learner train` from a Kafka topic
 * with a checkpoint directory (the built CLI; npm test builds dist first).
 *
 *   1. One partition, 100,000 records, SIGKILLed at 10 seeded-random points (after 20-219 steps of the
 *      run, read off its ledger) and restarted each time:
 *      the final parameters, optimizer state and counters are bit-identical to an uninterrupted run, and
 *      the ledger shows each record applied exactly once.
 *   4. In the same series, the newest checkpoint is corrupted before a later restart: the learner falls back
 *      to the previous checkpoint (behind the group's committed offset: the commit of the corrupted one
 *      had gone through), seeks back, and still ends bit-identical and exactly-once.
 *   2. Three partitions, killed 5 times: the ledger of applied record ids (LEARNER_APPLIED_LEDGER, a
 *      test-only option) shows every id exactly once, and the group's commits end at the end offsets.
 *   3. The broker stops and restarts while the learner runs: the learner keeps running, reads what is
 *      produced after the restart, and every record is applied exactly once.
 *
 * Bit-identity needs minibatches that do not depend on wall time: training.maxWaitMs is set far beyond
 * the run (a partial batch is then only flushed at the end of the stream). A killed member stays in the
 * group until its session times out, so the restarted learner waits for that: sessionTimeoutMs is set to
 * the broker's minimum (6 s) to keep the series short.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appliedCounts } from '../../src/app/applied-ledger.js';
import type { RunSummaryJson } from '../../src/app/summary.js';
import { decodeCheckpoint } from '../../src/checkpoint/codec.js';
import type { Checkpoint } from '../../src/checkpoint/types.js';
import { Rng } from '../../src/math/rng.js';
import { brokerControl } from '../helpers/kafka-broker-control.js';
import { createTestTopic, testBroker, uniqueName } from '../helpers/kafka.js';
import { committedTotal, groupProgress, produceValues, statsvilleLines } from '../helpers/learner-kafka.js';

const BIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'ol-kafka-resume-'));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  readonly child: ChildProcess;
  output(): string;
  readonly exit: Promise<string | number | null>;
}

function train(topic: string, groupId: string, dir: string, ledger: string, end = ['--idle-exit-ms', '3000']): Run {
  const args = [
    BIN,
    'train',
    ...['--brokers', testBroker().brokers.join(','), '--topic', topic, '--group', groupId, '--from-beginning'],
    ...['--schema.features', 'height_cm,weight_kg', '--schema.task', 'multiclass', '--schema.classes', 'man,woman,child'],
    ...['--model', 'mlp', '--hidden', '16', '--dropout', '0.1', '--optimizer', 'adam', '--lr', '0.01'],
    ...['--batch-size', '32', '--shuffle-buffer', '256', '--seed', '7', '--training.maxWaitMs', '1000000000'],
    ...['--checkpoint-dir', dir, '--checkpoint.everySteps', '50', '--checkpoint.keep', '3', '--source.sessionTimeoutMs', '6000'],
    ...['--port', '0', '--no-progress', '--summary-json', join(dir, 'summary.json'), ...end],
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LEARNER_APPLIED_LEDGER: ledger } });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<string | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return { child, output: () => output, exit };
}

const sequences = (dir: string): number[] =>
  existsSync(dir) ? readdirSync(dir).flatMap((f) => /^checkpoint-(\d+)\.safetensors$/.exec(f)?.[1] ?? []).map(Number) : [];
const newestSequence = (dir: string): number => Math.max(0, ...sequences(dir));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newestFile(dir: string): string {
  const newest = newestSequence(dir);
  return readdirSync(dir).find((f) => Number(/^checkpoint-(\d+)\.safetensors$/.exec(f)?.[1]) === newest)!;
}

const newestCheckpoint = (dir: string): Checkpoint => decodeCheckpoint(readFileSync(join(dir, newestFile(dir))));

const hex = (checkpoint: Checkpoint) =>
  Object.fromEntries(Object.entries(checkpoint.parameters).map(([name, t]) => [name, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex')]));

/** Steps a run has applied so far, read off the end of the ledger it appends to. */
class LedgerTail {
  private offset: number;
  private steps = 0;

  constructor(private readonly path: string) {
    this.offset = existsSync(path) ? statSync(path).size : 0;
  }

  count(): number {
    if (!existsSync(this.path)) return 0;
    const size = statSync(this.path).size;
    if (size > this.offset) {
      const bytes = Buffer.alloc(size - this.offset);
      const fd = openSync(this.path, 'r');
      try {
        readSync(fd, bytes, 0, bytes.length, this.offset);
      } finally {
        closeSync(fd);
      }
      this.offset = size;
      // A line may be cut in two between reads: count its start only.
      this.steps += bytes.toString('latin1').split('\nstep ').length - 1;
    }
    return this.steps;
  }
}

/**
 * Starts a run and SIGKILLs it once it applied `afterSteps` steps, wherever that falls between its
 * checkpoints (some runs die before their first one: they resume from the same checkpoint as the last).
 */
async function killedRun(start: () => Run, ledger: string, afterSteps: number, checkpoints?: { dir: string; atLeast: number }): Promise<Run> {
  const tail = new LedgerTail(ledger);
  const run = start();
  const enoughCheckpoints = () => checkpoints === undefined || sequences(checkpoints.dir).length >= checkpoints.atLeast;
  while (run.child.exitCode === null && (tail.count() < afterSteps || !enoughCheckpoints())) await sleep(2);
  run.child.kill('SIGKILL');
  expect(await run.exit, `a run meant to be killed finished first:\n${run.output()}`).toBe('SIGKILL');
  return run;
}

function expectEachOnce(ledger: string, ids: readonly string[]): void {
  const counts = appliedCounts(readFileSync(ledger, 'utf8'));
  const missing = ids.filter((id) => !counts.has(id));
  const repeated = [...counts].filter(([, n]) => n !== 1);
  expect({ missing: missing.slice(0, 5), missingCount: missing.length, repeated: repeated.slice(0, 5) }).toEqual({ missing: [], missingCount: 0, repeated: [] });
  expect(counts.size).toBe(ids.length);
}

const idsOf = (lines: readonly string[]) => lines.map((line) => (JSON.parse(line) as { id: string }).id);

describe('online-learner train from Kafka with checkpoints, killed and restarted', () => {
  it('one partition, 100,000 records, SIGKILL at 10 random points and a corrupted newest checkpoint: bit-identical, each record applied once', async () => {
    const RECORDS = 100_000;
    const topic = await createTestTopic({ partitions: 1 });
    const lines = statsvilleLines(RECORDS, 41);
    await produceValues(topic, lines);

    const referenceDir = join(work, 'reference');
    const reference = train(topic, uniqueName('g-ref'), referenceDir, join(work, 'reference.ledger'));
    expect(await reference.exit, reference.output()).toBe(0);
    const expected = newestCheckpoint(referenceDir);
    // 100,000 samples in batches of 32: 3,125 steps, the last one full.
    expect(expected.counters).toMatchObject({ records: RECORDS, samplesTrained: RECORDS, batchesApplied: 3125 });

    const dir = join(work, 'killed');
    const ledger = join(work, 'killed.ledger');
    const groupId = uniqueName('g-killed');
    const rng = new Rng(2026);
    let fellBack = '';
    for (let kill = 0; kill < 10; kill++) {
      // Before the 7th restart (the 6th run lives until two checkpoints exist, so that there is an older one
      // to fall back to): flip bytes in the middle of the newest one, so that its sha256 no longer matches.
      const corrupt = kill === 6;
      if (corrupt) {
        const path = join(dir, newestFile(dir));
        const bytes = readFileSync(path);
        for (let i = 0; i < 16; i++) bytes[(bytes.length >> 1) + i] ^= 0xff;
        writeFileSync(path, bytes);
      }
      // 20-219 steps of 32 records: the ten runs together read at most ~70% of the topic.
      const run = await killedRun(() => train(topic, groupId, dir, ledger), ledger, 20 + rng.int(200), kill === 5 ? { dir, atLeast: 2 } : undefined);
      if (corrupt) fellBack = run.output();
    }
    expect(fellBack).toMatch(/is unreadable .*falling back to the previous one/);
    expect(fellBack).toMatch(/checkpoint: resumed from checkpoint-\d+\.safetensors .*continuing at .*\[0\]@[1-9]\d*/);

    const last = train(topic, groupId, dir, ledger);
    expect(await last.exit, last.output()).toBe(0);
    const final = newestCheckpoint(dir);
    expect(hex(final)).toEqual(hex(expected));
    expect(final.optimizer).toEqual(expected.optimizer);
    expect(final.rng).toEqual(expected.rng);
    expect(final.counters).toEqual(expected.counters);
    expect(final.position).toEqual({ kind: 'kafka', offsets: { [topic]: { '0': String(RECORDS) } } });
    expectEachOnce(ledger, idsOf(lines));
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummaryJson;
    expect(summary).toMatchObject({ records: RECORDS, samples: RECORDS, rejected: 0 });
    // Committed only after the final checkpoint was durable, and exactly up to it.
    expect(committedTotal(await groupProgress(groupId, topic))).toBe(RECORDS);
  }, 600_000);

  it('three partitions, SIGKILL 5 times: every record id applied exactly once', async () => {
    const RECORDS = 60_000;
    const topic = await createTestTopic({ partitions: 3 });
    const lines = statsvilleLines(RECORDS, 43);
    await produceValues(topic, lines, 3);
    const dir = join(work, 'three');
    const ledger = join(work, 'three.ledger');
    const groupId = uniqueName('g-three');
    const rng = new Rng(7);
    for (let kill = 0; kill < 5; kill++) await killedRun(() => train(topic, groupId, dir, ledger), ledger, 20 + rng.int(200));
    const last = train(topic, groupId, dir, ledger);
    expect(await last.exit, last.output()).toBe(0);
    expectEachOnce(ledger, idsOf(lines));
    expect(newestCheckpoint(dir).counters).toMatchObject({ records: RECORDS, samplesTrained: RECORDS });
    expect(committedTotal(await groupProgress(groupId, topic))).toBe(RECORDS);
  }, 300_000);

  it.runIf(brokerControl() !== null)('the broker stops and restarts mid-stream: the learner keeps running and applies every record once', async () => {
    const control = brokerControl()!;
    const BEFORE = 20_000;
    const AFTER = 20_000;
    const topic = await createTestTopic({ partitions: 3 });
    const lines = statsvilleLines(BEFORE + AFTER, 47);
    await produceValues(topic, lines.slice(0, BEFORE), 3);
    const dir = join(work, 'broker');
    const ledger = join(work, 'broker.ledger');
    const groupId = uniqueName('g-broker');
    // No idle exit (an outage is silence too): the run ends once it has read every record.
    const run = train(topic, groupId, dir, ledger, ['--max-records', String(BEFORE + AFTER)]);
    // Mid-stream: a checkpoint is durable and training is under way (the backlog may all be read by now;
    // the rest is produced after the restart).
    const tail = new LedgerTail(ledger);
    while (run.child.exitCode === null && (newestSequence(dir) < 1 || tail.count() < 100)) await sleep(10);
    await control.stop();
    await sleep(3_000);
    await control.start();
    expect(run.child.exitCode, `the learner exited while the broker was down:\n${run.output()}`).toBeNull();
    await produceValues(topic, lines.slice(BEFORE), 3);
    expect(await run.exit, run.output()).toBe(0);
    expectEachOnce(ledger, idsOf(lines));
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummaryJson;
    expect(summary).toMatchObject({ records: BEFORE + AFTER, samples: BEFORE + AFTER });
  }, 300_000);
});
