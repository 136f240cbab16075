/**
 * `online-learner record` against the real broker: values that are not JSON objects survive
 * record -> replay byte for byte; the run ends on --idle-exit-ms, on --max, and on SIGINT (run as the
 * built binary with a real signal: the lines flushed while it ran are readable, and after the signal
 * the .gz file is complete); without --from-beginning only records produced after the group joined
 * are recorded.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runRecord } from '../../src/app/record.js';
import type { KafkaRecord, ProduceRecord } from '../../src/sources/kafka/index.js';
import { createTestTopic, deferred, testBroker, testKafkaClient, uniqueName } from '../helpers/kafka.js';
import { cli, readRecording, tempDir } from './replay-harness.js';

const BIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;

async function produce(topic: string, records: readonly ProduceRecord[]): Promise<void> {
  const producer = await testKafkaClient().producer();
  try {
    await producer.send(topic, records);
  } finally {
    await producer.disconnect();
  }
}

/** Every record of `topic` by partition in offset order, read with a plain consumer. */
async function consumeAll(topic: string, expected: number): Promise<KafkaRecord[]> {
  const consumer = await testKafkaClient().consumer({ groupId: uniqueName('g'), topics: [topic], maxWaitTimeMs: 200 });
  const records: KafkaRecord[] = [];
  const all = deferred();
  await consumer.consume({
    async onBatch(batch) {
      records.push(...batch);
      if (records.length >= expected) all.resolve();
    },
    onCrash(error, restarting) {
      if (!restarting) all.reject(error);
    },
  });
  await all.promise;
  await consumer.disconnect();
  return records.sort((a, b) => a.origin.partition - b.origin.partition || Number(a.origin.offset) - Number(b.origin.offset));
}

const seen = (records: readonly KafkaRecord[]) =>
  records.map(({ origin, value }) => [origin.partition, origin.key, value === null ? null : Buffer.from(value).toString('base64')]);

describe('record', () => {
  it('keeps values that are not JSON objects exactly (envelopes) and replays them with their keys', async () => {
    const values: ProduceRecord[] = [
      { key: 'a', value: '{"features":[1,2],"label":0}' },
      { key: 'b', value: 'plain text' },
      { key: 'a', value: Buffer.from([0x00, 0xff, 0x0a, 0x7b]) },
      { key: 'c', value: null },
      { key: null, partition: 1, value: '[1,2,3]' },
      { key: 'b', value: '{\n  "pretty": true\n}\n' },
      { key: 'c', value: '{"_kafka":"mine"}' },
    ];
    const first = await createTestTopic({ partitions: 2 });
    await produce(first, values);
    const dir = tempDir();
    const recording = join(dir, 'mixed.jsonl.gz');
    const recorded = await cli(['record', '--topic', first, '--out', recording, '--from-beginning', '--max', String(values.length)]);
    expect(recorded.code, recorded.stderr).toBe(0);
    const lines = gunzipSync(readFileSync(recording)).toString('utf8').trim().split('\n');
    // Only the one-line JSON object is spliced; the others are envelopes.
    expect(lines.filter((l) => l.startsWith('{"_kafka":')).length).toBe(values.length - 1);
    expect(lines.some((l) => l.startsWith('{"features":[1,2],"label":0,"_kafka":{'))).toBe(true);

    const second = await createTestTopic({ partitions: 2 });
    expect((await cli(['replay', recording, '--topic', second, '--no-progress'])).code).toBe(0);
    const original = await consumeAll(first, values.length);
    const replayed = await consumeAll(second, values.length);
    // The null-keyed record went to partition 1 explicitly; replayed without a key, the partitioner
    // places it, so it is compared without its partition.
    const keyed = (records: KafkaRecord[]) => seen(records.filter((r) => r.origin.key !== null));
    expect(keyed(replayed)).toEqual(keyed(original));
    expect(seen(replayed.filter((r) => r.origin.key === null)).map(([, key, value]) => [key, value])).toEqual([[null, Buffer.from('[1,2,3]').toString('base64')]]);
  });

  it('ends after --idle-exit-ms without a record', async () => {
    const topic = await createTestTopic({ partitions: 1 });
    await produce(topic, Array.from({ length: 100 }, (_, i) => ({ value: JSON.stringify({ features: [i], label: i % 2 }) })));
    const out = join(tempDir(), 'idle.jsonl');
    const started = Date.now();
    const { code, stdout } = await cli(['record', '--topic', topic, '--out', out, '--from-beginning', '--idle-exit-ms', '1500']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^recorded 100 records of \S+ \(per partition 0: 100\) to .* idle for --idle-exit-ms$/m);
    expect(readRecording(out)).toHaveLength(100);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('without --from-beginning records only what is produced after it joined', async () => {
    const topic = await createTestTopic({ partitions: 1 });
    await produce(topic, [{ value: '{"old":1}' }, { value: '{"old":2}' }]);
    const out = join(tempDir(), 'new.jsonl');
    // The group's start offset is resolved at its first fetch, shortly after joining: new records keep
    // coming until three are recorded, so the test does not depend on which one came first.
    let produced = 0;
    let producing: NodeJS.Timeout | undefined;
    try {
      const summary = await runRecord({
        kafka: { brokers: testBroker().brokers },
        topic,
        out,
        maxRecords: 3,
        idleExitMs: 20_000,
        onStart: () => {
          producing = setInterval(() => void produce(topic, [{ value: JSON.stringify({ new: ++produced }) }]), 200);
        },
      });
      expect(summary.end).toBe('max');
    } finally {
      clearInterval(producing);
    }
    const recorded = readRecording(out).map((l) => JSON.parse(l.value as string) as { new?: number });
    expect(recorded).toHaveLength(3);
    const first = recorded[0].new as number;
    expect(recorded).toEqual([{ new: first }, { new: first + 1 }, { new: first + 2 }]);
  });

  it('on SIGINT writes what it consumed, completes the .gz file and exits 0', async () => {
    const topic = await createTestTopic({ partitions: 3 });
    await produce(topic, Array.from({ length: 3_000 }, (_, i) => ({ key: `k${i % 7}`, value: JSON.stringify({ features: [i], label: i % 2 }) })));
    const out = join(tempDir(), 'interrupted.jsonl.gz');
    const child = spawn(process.execPath, [BIN, 'record', '--topic', topic, '--out', out, '--from-beginning', '--brokers', testBroker().brokers.join(',')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // record flushes every second; a sync-flushed gzip stream reads up to the flush point.
    const linesSoFar = (): number => {
      const bytes = existsSync(out) ? readFileSync(out) : Buffer.alloc(0);
      if (bytes.length === 0) return 0;
      return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8').split('\n').length - 1;
    };
    const deadline = Date.now() + 60_000;
    while (linesSoFar() < 3_000) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`record did not write the records:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/^recorded 3,000 records .* stopped by signal$/m);
    // gunzipSync throws on a truncated member: the file was closed properly.
    const lines = gunzipSync(readFileSync(out)).toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(3_000);
    // Keys k3 are i = 3, 10, ..., 2996: (2996 - 3) / 7 + 1 = 428 + 1.
    expect(readRecording(out).filter((l) => l.kafka.key === 'k3')).toHaveLength(429);
  });
});
