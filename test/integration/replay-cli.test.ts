/**
 * `online-learner replay` against the real broker, beyond the acceptance round trip: clear, fast
 * failures (unreachable broker, unknown topic), --partitions creating the topic, recorded timing
 * reproduced on the broker's clock, and --loop ended by SIGTERM with exit 0, run as the built binary
 * (npm test builds dist/ first) with a real signal.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestTopic, testBroker, testKafkaClient, uniqueName } from '../helpers/kafka.js';
import { cli, readRecording, tempDir } from './replay-harness.js';

const BIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;

async function totalRecords(topic: string): Promise<number> {
  const admin = await testKafkaClient().admin();
  try {
    return (await admin.endOffsets(topic)).reduce((sum, { offset }) => sum + Number(offset), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('replay against a broker', () => {
  it('exits 1 within seconds, naming the address, when no broker answers', async () => {
    const started = Date.now();
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const { code, stderr } = await cli(['replay', 'statsville', '--topic', 'any', '--brokers', '127.0.0.1:1'], { brokers: false });
    expect(code).toBe(1);
    expect(stderr).toContain('online-learner replay: cannot reach Kafka at 127.0.0.1:1: the broker does not answer');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('exits 1 naming the topic when it does not exist (nothing is auto-created)', async () => {
    const topic = uniqueName('missing');
    const { code, stderr } = await cli(['replay', 'statsville', '--topic', topic]);
    expect(code).toBe(1);
    expect(stderr).toContain(`online-learner replay: topic '${topic}' does not exist at ${testBroker().brokers.join(',')}`);
    expect(await cli(['record', '--topic', topic, '--out', join(tempDir(), 'x.jsonl')])).toMatchObject({ code: 1 });
  });

  it('creates the topic with --partitions N when it is missing', async () => {
    const topic = uniqueName('created');
    const { code, stderr, stdout } = await cli(['replay', 'drift', '--topic', topic, '--partitions', '2', '--key', 'label', '--no-progress']);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`-> topic ${topic} (2 partitions)`);
    expect(stdout).toMatch(/^produced 10,000 records/);
    expect(await totalRecords(topic)).toBe(10_000);
  });

  it('reproduces recorded gaps, divided by --speed, on the broker clock', async () => {
    // Five records 600 ms apart by their CreateTime: a recording as `record` writes it.
    const source = await createTestTopic({ partitions: 1 });
    const producer = await testKafkaClient().producer();
    const base = Date.now() - 60_000;
    await producer.send(
      source,
      [0, 600, 1_200, 1_800, 2_400].map((gap, i) => ({ key: `k${i}`, value: JSON.stringify({ i }), timestampMs: base + gap })),
    );
    await producer.disconnect();
    const dir = tempDir();
    const recording = join(dir, 'timed.jsonl');
    expect((await cli(['record', '--topic', source, '--out', recording, '--from-beginning', '--max', '5'])).code).toBe(0);
    expect(readRecording(recording).map((l) => l.kafka.timestamp - base)).toEqual([0, 600, 1_200, 1_800, 2_400]);

    const target = await createTestTopic({ partitions: 1, config: { 'message.timestamp.type': 'LogAppendTime' } });
    const replayed = await cli(['replay', recording, '--topic', target, '--timing', 'recorded', '--speed', '2', '--no-progress']);
    expect(replayed.code, replayed.stderr).toBe(0);
    const again = join(dir, 'again.jsonl');
    expect((await cli(['record', '--topic', target, '--out', again, '--from-beginning', '--max', '5'])).code).toBe(0);
    const appended = readRecording(again).map((l) => l.kafka.timestamp);
    const gaps = appended.slice(1).map((t, i) => t - appended[i]);
    // 600 ms / 2 = 300 ms each; a send and its acknowledgement on a busy machine add a little.
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(250);
      expect(gap).toBeLessThan(450);
    }
    expect(appended[4] - appended[0]).toBeGreaterThanOrEqual(1_150);
  });

  it('--loop repeats the file until SIGTERM, then exits 0 having counted every record it produced', async () => {
    const topic = await createTestTopic({ partitions: 3 });
    const child = spawn(process.execPath, [BIN, 'replay', 'drift', '--topic', topic, '--loop', '--rate', '5000', '--brokers', testBroker().brokers.join(',')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    // More than one pass of the 10,000-record file, then the signal.
    const deadline = Date.now() + 60_000;
    while ((await totalRecords(topic)) <= 12_000) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`replay did not loop:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('SIGTERM: finishing the send in flight, then stopping');
    const summary = /^stopped after producing ([\d,]+) records to \S+ in [\d.]+ s \([\d,]+ records\/s, (\d+) full pass\(es\)\)$/m.exec(stdout);
    expect(summary, stdout).not.toBeNull();
    const produced = Number((summary as RegExpExecArray)[1].replace(/,/g, ''));
    expect(Number((summary as RegExpExecArray)[2])).toBeGreaterThanOrEqual(1);
    expect(produced).toBe(await totalRecords(topic));
  });
});
