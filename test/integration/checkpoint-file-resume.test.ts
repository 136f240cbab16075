/**
 * DESIGN.md §2 with real processes: a learner training from a .jsonl file with a checkpoint directory is
 * killed with SIGKILL at several points and restarted each time; it resumes from the newest durable
 * checkpoint (stream line, shuffle-buffer residents, RNG streams, optimizer slots) and ends with
 * parameters bit-identical to an uninterrupted run, every record applied exactly once.
 *
 * Both run the built code (dist/, which `npm test` builds first) in child processes: first a small
 * driver script on the library, written below, killed at chosen steps (each step sleeps 1 ms so the
 * kills land mid-run, and the file is read in 2 KB chunks so checkpoint writes interleave with training
 * as on a live source); then the CLI itself, `online-learner train FILE --checkpoint.dir D`, killed
 * whenever a new checkpoint appears.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../src/checkpoint/codec.js';
import type { Checkpoint } from '../../src/checkpoint/types.js';
import { Rng } from '../../src/math/rng.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';

const DIST = new URL('../../dist/', import.meta.url);
const work = mkdtempSync(join(tmpdir(), 'ol-ckpt-kill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const config: LearnerConfig = {
  schema: { features: ['height', 'weight', 'age'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
  model: { type: 'mlp', hidden: [16], dropout: 0.2 },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  batchSize: 8,
  maxWaitMs: Infinity,
  shuffleBuffer: 64,
  standardize: true,
  seed: 11,
};

const LINES = 2400;
const MALFORMED = 20;
/** Every 120th line is malformed; the rest are Statsville-like residents in raw units. */
function writeStream(path: string, count = LINES): void {
  const rng = new Rng(4);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 120 === 60) {
      lines.push('{"features": {"height": "tall"}, "label": "man"}');
      continue;
    }
    const k = rng.int(3);
    const features = { height: [178, 165, 120][k] + rng.normal(0, 7), weight: [82, 64, 28][k] + rng.normal(0, 8), age: [40, 38, 9][k] + rng.normal(0, 5) };
    lines.push(JSON.stringify({ features, label: config.schema.classes![k], id: `s${i}` }));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const DRIVER = `
import { Learner } from ${JSON.stringify(new URL('pipeline/learner.js', DIST).href)};
import { readJsonl } from ${JSON.stringify(new URL('sources/file/jsonl-source.js', DIST).href)};
import { runLearner } from ${JSON.stringify(new URL('app/run-learner.js', DIST).href)};
import { Checkpointer, CheckpointTrigger, DirectoryCheckpointStore, PositionTracker, restoreLatest } from ${JSON.stringify(new URL('checkpoint/index.js', DIST).href)};

const [file, dir, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson, (_k, v) => (v === 'Infinity' ? Infinity : v));
const learner = new Learner(config);
const store = await DirectoryCheckpointStore.open({ dir, keep: 3, warn: (m) => console.log('warning ' + m) });
const restored = await restoreLatest(learner, store);
const start = restored === null ? { kind: 'file', path: file, nextLine: 1 } : restored.report.position;
console.log(restored === null ? 'fresh' : 'resumed ' + restored.loaded.id + ' line ' + start.nextLine + ' step ' + learner.counters.batchesApplied + ' residents ' + learner.shuffleState.residents.length);
const checkpointer = new Checkpointer({
  learner,
  store,
  trigger: new CheckpointTrigger({ everySteps: 5, everySeconds: Infinity }, learner.counters.batchesApplied),
  tracker: new PositionTracker(start),
  onSaved: (saved, checkpoint) => console.log('saved ' + saved.id + ' step ' + checkpoint.counters.batchesApplied),
});
const pause = new Int32Array(new SharedArrayBuffer(4));
await runLearner(learner, checkpointer.track(readJsonl(file, { startLine: start.nextLine, chunkBytes: 2048 })), {
  onEvent: (event) => {
    checkpointer.onEvent(event);
    if (event.kind === 'step') {
      console.log('step ' + learner.counters.batchesApplied);
      Atomics.wait(pause, 0, 0, 1);
    }
  },
});
await checkpointer.finish();
console.log('done');
`;

interface RunResult {
  readonly lines: string[];
  readonly killed: boolean;
}

/** Runs the driver; with `killAtStep`, SIGKILLs it as soon as it reports that step. */
function runDriver(file: string, dir: string, killAtStep?: number): Promise<RunResult> {
  const driver = join(work, 'driver.mjs');
  const child = spawn(process.execPath, [driver, file, dir, JSON.stringify(config, (_k, v) => (v === Infinity ? 'Infinity' : v))], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (killAtStep !== undefined && line === `step ${killAtStep}`) child.kill('SIGKILL');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ lines, killed: true });
      else if (code === 0) resolve({ lines, killed: false });
      else reject(new Error(`driver exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

function newestCheckpoint(dir: string): Checkpoint {
  const newest = readdirSync(dir).filter((f) => f.endsWith('.safetensors')).sort().at(-1)!;
  return decodeCheckpoint(readFileSync(join(dir, newest)));
}

const hex = (checkpoint: Checkpoint) =>
  Object.fromEntries(Object.entries(checkpoint.parameters).map(([name, t]) => [name, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex')]));

describe('a file-source learner killed with SIGKILL and restarted', () => {
  it('resumes from its checkpoints and ends bit-identical to an uninterrupted run, each record applied once', async () => {
    expect(existsSync(new URL('checkpoint/index.js', DIST)), 'dist/ is missing the checkpoint module: run npm run build').toBe(true);
    writeFileSync(join(work, 'driver.mjs'), DRIVER);
    const file = join(work, 'stream.jsonl');
    writeStream(file);

    const reference = await runDriver(file, join(work, 'reference'));
    expect(reference.lines.at(-1)).toBe('done');
    const expected = newestCheckpoint(join(work, 'reference'));
    const samples = LINES - MALFORMED;
    // 2380 samples in batches of 8: 297 full batches and a final one of 4.
    expect(expected.counters).toMatchObject({ records: LINES, samplesTrained: samples, batchesApplied: 298, rejected: { bad_type: MALFORMED } });

    const dir = join(work, 'killed');
    const resumes: string[] = [];
    for (const killAt of [3, 41, 42, 97, 150, 151, 236, 290]) {
      const run = await runDriver(file, dir, killAt);
      expect(run.killed, `the run meant to die at step ${killAt} finished first`).toBe(true);
      resumes.push(run.lines[0]);
    }
    const last = await runDriver(file, dir);
    expect(last.killed).toBe(false);
    resumes.push(last.lines[0]);
    expect(last.lines.at(-1)).toBe('done');

    // Runs after the first resumed from real checkpoints mid-stream, with residents in the buffer.
    const midStream = resumes.filter((line) => /^resumed checkpoint-\d+\.safetensors line \d+ step \d+ residents 64$/.test(line));
    expect(midStream.length, resumes.join('\n')).toBeGreaterThanOrEqual(5);

    const final = newestCheckpoint(dir);
    expect(hex(final)).toEqual(hex(expected));
    expect(final.optimizer).toEqual(expected.optimizer);
    expect(final.rng).toEqual(expected.rng);
    expect(final.counters).toEqual(expected.counters);
    expect(final.position).toEqual({ kind: 'file', path: file, nextLine: LINES + 1 });
  });

  it('the CLI, killed -9 whenever a new checkpoint appears and restarted, ends bit-identical with every record applied once', async () => {
    const bin = new URL('cli/main.js', DIST).pathname;
    const file = join(work, 'cli-stream.jsonl');
    const lines = 48_000;
    writeStream(file, lines);
    const flags = ['--checkpoint.everySteps', '100', '--checkpoint.keep', '2', '--batch-size', '8', '--shuffle-buffer', '64', '--seed', '11', '--no-progress', '--port', '0'];
    const train = (dir: string, summary: string) =>
      spawn(process.execPath, [bin, 'train', file, '--checkpoint.dir', dir, '--summary-json', summary, ...flags], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = (child: ReturnType<typeof spawn>) => new Promise<string | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const sequences = (dir: string) => (existsSync(dir) ? readdirSync(dir).flatMap((f) => /^checkpoint-(\d+)\.safetensors$/.exec(f)?.[1] ?? []).map(Number) : []);

    expect(await exited(train(join(work, 'cli-reference'), join(work, 'cli-reference.json')))).toBe(0);
    const expected = newestCheckpoint(join(work, 'cli-reference'));

    const dir = join(work, 'cli-killed');
    for (let kill = 0; kill < 4; kill++) {
      const before = Math.max(0, ...sequences(dir));
      const child = train(dir, join(work, 'cli-killed.json'));
      const exit = exited(child);
      let killed = false;
      while (!killed && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (Math.max(0, ...sequences(dir)) > before) killed = child.kill('SIGKILL');
      }
      expect(await exit, `run ${kill} finished before a new checkpoint appeared`).toBe('SIGKILL');
    }
    const last = train(dir, join(work, 'cli-killed.json'));
    let stderr = '';
    last.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exited(last)).toBe(0);
    expect(stderr).toMatch(/checkpoint: resumed from checkpoint-\d+\.safetensors .*: step [1-9]\d*, [1-9]\d* records read, 64 in the shuffle buffer; continuing at line [1-9]\d* of /);

    const final = newestCheckpoint(dir);
    expect(hex(final)).toEqual(hex(expected));
    expect(final.optimizer).toEqual(expected.optimizer);
    expect(final.counters).toEqual(expected.counters);
    const summary = JSON.parse(readFileSync(join(work, 'cli-killed.json'), 'utf8'));
    expect(summary).toMatchObject({ records: lines, samples: lines - lines / 120, rejected: lines / 120 });
  });
});
