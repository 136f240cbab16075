/**
 * `online-learner replay` and `record` up to the point where they would connect: help, argument
 * errors (exit 2), and what FILE|STREAM resolves to (exit 1 when it resolves to nothing). The broker
 * side is in test/integration/replay-*.test.ts and record-*.test.ts.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { resolveReplayInput } from '../../src/app/replay-input.js';
import type { CommandContext } from '../../src/cli/commands/context.js';
import { run } from '../../src/cli/run.js';
import { ConfigError } from '../../src/errors.js';
import { listStreams, streamsDir } from '../../src/streams/index.js';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await run(args, { stdout: stdout.stream, stderr: stderr.stream, env: {}, process: new EventEmitter() as unknown as CommandContext['process'] });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('replay and record on the command line', () => {
  it('are listed in the usage', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\n {2}replay +produce a recorded file or stream into a Kafka topic/);
    expect(stdout).toMatch(/\n {2}record +consume a Kafka topic into a replayable, trainable/);
  });

  it('document every option in --help', async () => {
    const replay = await cli(['replay', '--help']);
    expect(replay.code).toBe(0);
    for (const flag of ['--topic', '--brokers', '--rate', '--burst-ms', '--timing', '--speed', '--loop', '--key', '--partitions', '--batch', '--no-progress']) {
      expect(replay.stdout).toContain(flag);
    }
    const record = await cli(['record', '--help']);
    expect(record.code).toBe(0);
    for (const flag of ['--topic', '--out', '--brokers', '--from-beginning', '--max', '--idle-exit-ms', '--group', '--no-progress']) {
      expect(record.stdout).toContain(flag);
    }
  });

  it.each([
    [['replay', 'statsville'], /replay needs --topic/],
    [['replay', '--topic', 't'], /replay needs exactly one FILE or STREAM/],
    [['replay', 'statsville', '--topic', 't', '--rate', '-5'], /--rate -5 is invalid: must be a positive number/],
    [['replay', 'statsville', '--topic', 't', '--rate', 'fast'], /--rate fast is invalid/],
    [['replay', 'statsville', '--topic', 't', '--timing', 'real'], /--timing real is invalid: must be none or recorded/],
    [['replay', 'statsville', '--topic', 't', '--speed', '2'], /--speed applies to --timing recorded only/],
    [['replay', 'statsville', '--topic', 't', '--burst-ms', '20'], /--burst-ms applies to --rate only/],
    [['replay', 'statsville', '--topic', 't', '--partition', '3'], /unknown option --partition/],
    [['record', '--topic', 't'], /record needs --out/],
    [['record', '--out', 'x.jsonl'], /record needs --topic/],
    [['record', '--topic', 't', '--out', 'x.jsonl', '--max', '0'], /--max 0 is invalid: must be a positive integer/],
    [['record', 'x.jsonl', '--topic', 't', '--out', 'y.jsonl'], /record takes no positional arguments/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('names the known streams when FILE is neither a file nor a stream (exit 1)', async () => {
    const { code, stderr } = await cli(['replay', 'statsvile', '--topic', 't']);
    expect(code).toBe(1);
    expect(stderr).toContain('online-learner replay: replay FILE: "statsvile" is neither a file nor a recorded stream (statsville, regression, imbalanced, drift, large)');
  });

  it('says how to replay the generated stream, which is not shipped (exit 1)', async () => {
    const { code, stderr } = await cli(['replay', 'large', '--topic', 't']);
    expect(code).toBe(1);
    expect(stderr).toContain("'online-learner generate large --out FILE' and replay FILE");
  });
});

describe('resolveReplayInput', () => {
  it('resolves every shipped stream to its file in streams/', async () => {
    for (const info of listStreams().filter((s) => s.file !== null)) {
      const input = await resolveReplayInput(info.name);
      expect(input.path).toBe(join(streamsDir(), info.file as string));
      expect(input.description).toBe(`recorded stream '${info.name}' (${input.path})`);
    }
  });

  it('takes an existing file as it is (even one named like a stream) and refuses a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ol-replay-input-'));
    const file = join(dir, 'statsville');
    writeFileSync(file, '{"a":1}\n');
    expect(await resolveReplayInput(file)).toEqual({ path: file, description: `file ${file}` });
    await expect(resolveReplayInput(dir)).rejects.toThrow(ConfigError);
  });
});
