/**
 * `online-learner train` on Kafka as a user runs it (the built CLI; npm test builds dist first), stopped
 * with SIGTERM while records are still being produced: meanwhile it serves the consumer lag of every
 * partition; it trains what it read, commits exactly that, exits 0; a second run in the same group
 * trains the rest, and the two runs together saw every record once.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSummaryJson } from '../../src/app/summary.js';
import { KafkaError } from '../../src/sources/kafka/index.js';
import { createTestTopic, testBroker, uniqueName } from '../helpers/kafka.js';
import { committedTotal, groupProgress, produceValues, statsvilleLines } from '../helpers/learner-kafka.js';

const BIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const PARTITIONS = 3;
const BACKLOG = 10_000;
/** Produced while the first run trains, 500 records every 100 ms until just after the SIGTERM. */
const LIVE_MAX = 60_000;
const LIVE_CHUNK = 500;
const LIVE_PAUSE_MS = 100;

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface Run {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function train(topic: string, groupId: string, summaryPath: string, extra: string[] = []): Run {
  const args = [
    BIN,
    'train',
    ...['--brokers', testBroker().brokers.join(','), '--topic', topic, '--group', groupId, '--from-beginning'],
    ...['--schema.features', 'height_cm,weight_kg', '--schema.task', 'multiclass', '--schema.classes', 'man,woman,child'],
    ...['--model', 'mlp', '--hidden', '100', '--optimizer', 'adam', '--batch-size', '32', '--shuffle-buffer', '1000'],
    ...['--port', '0', '--no-progress', '--summary-json', summaryPath, ...extra],
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exit };
}

/** Polls `condition`; a retriable Kafka error (a coordinator still loading on a fresh broker) counts as "not yet". */
async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      if (!(error instanceof KafkaError && error.retriable)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

const summaryOf = (path: string): RunSummaryJson => JSON.parse(readFileSync(path, 'utf8'));

describe('online-learner train on Kafka, stopped with SIGTERM', () => {
  it('commits exactly the records it trained, exits 0, and a restart in the same group trains the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ol-sigterm-'));
    const topic = await createTestTopic({ partitions: PARTITIONS });
    const groupId = uniqueName('g');
    const lines = statsvilleLines(BACKLOG + LIVE_MAX, 31);
    await produceValues(topic, lines.slice(0, BACKLOG), PARTITIONS);

    const first = train(topic, groupId, join(dir, 'first.json'));
    let signalled = false;
    let produced = BACKLOG;
    const live = (async () => {
      // Records keep arriving while the learner stops: one more chunk after the signal.
      let chunksAfterSignal = 0;
      while (produced < lines.length && chunksAfterSignal < 1) {
        const wasSignalled = signalled;
        await produceValues(topic, lines.slice(produced, produced + LIVE_CHUNK), PARTITIONS);
        produced += LIVE_CHUNK;
        if (wasSignalled) chunksAfterSignal++;
        await new Promise((done) => setTimeout(done, LIVE_PAUSE_MS));
      }
    })();
    // The first periodic commit (every second) shows the run is training.
    await until(async () => committedTotal(await groupProgress(groupId, topic)) > 0, 60_000, 'a first commit');
    const metricsUrl = /serving (http:\S+\/metrics)/.exec(first.output())?.[1];
    // The lag of a partition is set once its first fetched batch is trained, which may be after the first commit.
    const lagSeries = (metrics: string) =>
      Array.from({ length: PARTITIONS }, (_, partition) => new RegExp(`learner_consumer_lag\\{topic="${topic}",partition="${partition}"\\} \\d+`).test(metrics));
    await until(async () => lagSeries(await (await fetch(metricsUrl as string)).text()).every(Boolean), 30_000, 'the lag of every partition');
    first.child.kill('SIGTERM');
    signalled = true;
    expect(await first.exit, first.output()).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain('SIGTERM: finishing the records already read');

    const stoppedAt = committedTotal(await groupProgress(groupId, topic));
    const one = summaryOf(join(dir, 'first.json'));
    expect(one.samplesRefused).toBe(0);
    expect(stoppedAt).toBe(one.samples + one.rejected);
    expect(one.records).toBe(stoppedAt);
    await live;
    // Mid-stream: production was still going when the signal came, and went on after it.
    expect(produced).toBeLessThan(lines.length);
    expect(stoppedAt).toBeLessThan(produced);

    const second = train(topic, groupId, join(dir, 'second.json'), ['--idle-exit-ms', '2000']);
    expect(await second.exit, second.output()).toEqual({ code: 0, signal: null });
    const two = summaryOf(join(dir, 'second.json'));
    const progress = await groupProgress(groupId, topic);
    expect(progress.committed).toEqual(progress.end);
    expect(one.records + two.records).toBe(produced);
    expect(one.samples + two.samples).toBe(produced);
  });
});
