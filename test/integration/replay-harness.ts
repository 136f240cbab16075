/**
 * Shared by the replay-* and record-* integration tests: the CLI run in-process (real argv parsing,
 * exit codes and output, a stand-in process for signals), and recordings read back line by line.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { parseReplayLine } from '../../src/app/record-format.js';
import type { KafkaMetadata } from '../../src/app/record-format.js';
import type { CommandContext } from '../../src/cli/commands/context.js';
import { run } from '../../src/cli/run.js';
import { testBroker } from '../helpers/kafka.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A stand-in for `process` that a test signals with emit('SIGTERM', 'SIGTERM'). */
export type Signals = EventEmitter;

export interface CliOptions {
  readonly signals?: Signals;
  /** Substitute for the train job (to keep the finished learner). */
  readonly runJob?: CommandContext['runJob'];
  /** Append `--brokers` of the test broker (default true; false for a file source). */
  readonly brokers?: boolean;
}

/** `online-learner <args>` in this process, with `--brokers` of the test broker appended. */
export async function cli(args: readonly string[], { signals = new EventEmitter(), runJob, brokers = true }: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString('utf8'));
        done();
      },
    });
  const code = await run(brokers ? [...args, '--brokers', testBroker().brokers.join(',')] : args, {
    stdout: sink((t) => (stdout += t)),
    stderr: sink((t) => (stderr += t)),
    env: {},
    process: signals as unknown as CommandContext['process'],
    runJob,
  });
  return { code, stdout, stderr };
}

export interface RecordedLine {
  /** The value as replay would produce it, as text (null for a tombstone). */
  readonly value: string | null;
  readonly kafka: KafkaMetadata;
}

/** Every line of a recording (.jsonl or .jsonl.gz), with the value unwrapped as replay does. */
export function readRecording(path: string): RecordedLine[] {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line, i) => {
      const parsed = parseReplayLine(Buffer.from(line), `${path} line ${i + 1}`, false);
      if (parsed.kafka === null) throw new Error(`${path} line ${i + 1} has no _kafka member: ${line}`);
      return { value: parsed.value === null ? null : String(parsed.value), kafka: parsed.kafka };
    });
}

/** Per partition, the recorded values in offset order. */
export function byPartition(lines: readonly RecordedLine[]): Map<number, RecordedLine[]> {
  const out = new Map<number, RecordedLine[]>();
  for (const line of lines) {
    const list = out.get(line.kafka.partition) ?? [];
    list.push(line);
    out.set(line.kafka.partition, list);
  }
  for (const list of out.values()) list.sort((a, b) => Number(BigInt(a.kafka.offset) - BigInt(b.kafka.offset)));
  return out;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ol-replay-'));
}
