/**
 * Acceptance 1 of recorded streams: record(replay(file)) equals the file, record for record, on a
 * 3-partition topic, through the CLI commands. Asserted: the same multiset of values byte for byte;
 * every key in one partition; per partition, the values in offset order are the file's lines of that
 * partition's keys in file order; and replaying the recording (keys from its _kafka members) into a
 * second topic and recording again gives the same per-partition sequences.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamRecords } from '../../src/streams/index.js';
import { createTestTopic } from '../helpers/kafka.js';
import { byPartition, cli, readRecording, tempDir } from './replay-harness.js';

const RECORDS = 6_000;
const USERS = 23;

/** Statsville records with a `user` field to key by: 23 keys, each recurring every 23 lines. */
function keyedFile(dir: string): { path: string; lines: string[] } {
  const lines: string[] = [];
  let i = 0;
  for (const record of streamRecords('statsville', { records: RECORDS })) {
    lines.push(JSON.stringify({ ...record, user: `u${i % USERS}` }));
    i++;
  }
  const path = join(dir, 'keyed.jsonl');
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, lines };
}

describe('replay then record', () => {
  it('gives back the file record for record on a 3-partition topic, per key and per partition in order', async () => {
    const dir = tempDir();
    const file = keyedFile(dir);
    const first = await createTestTopic({ partitions: 3 });

    const replayed = await cli(['replay', file.path, '--topic', first, '--key', 'user', '--no-progress']);
    expect(replayed.stderr).toContain(`-> topic ${first} (3 partitions)`);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(/^produced 6,000 records to /);

    const recording = join(dir, 'first.jsonl.gz');
    const recorded = await cli(['record', '--topic', first, '--out', recording, '--from-beginning', '--max', String(RECORDS), '--idle-exit-ms', '20000', '--no-progress']);
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toContain('recorded 6,000 records');
    expect(recorded.stdout).toContain('reached --max');

    const lines = readRecording(recording);
    expect(lines.map((l) => l.value).sort()).toEqual([...file.lines].sort());

    const partitionOfKey = new Map<string, number>();
    for (const { value, kafka } of lines) {
      expect(kafka.key).toBe((JSON.parse(value as string) as { user: string }).user);
      const seen = partitionOfKey.get(kafka.key as string);
      if (seen !== undefined) expect(kafka.partition).toBe(seen);
      partitionOfKey.set(kafka.key as string, kafka.partition);
    }
    expect(partitionOfKey.size).toBe(USERS);

    const partitions = byPartition(lines);
    expect([...partitions.keys()].sort()).toEqual([0, 1, 2]);
    for (const [partition, list] of partitions) {
      expect(list.map((l) => l.kafka.offset)).toEqual(list.map((_, i) => String(i)));
      const expected = file.lines.filter((line) => partitionOfKey.get((JSON.parse(line) as { user: string }).user) === partition);
      expect(list.map((l) => l.value)).toEqual(expected);
    }

    // The recording replays with its own keys: same partitions, same sequences, same bytes.
    const second = await createTestTopic({ partitions: 3 });
    expect((await cli(['replay', recording, '--topic', second, '--no-progress'])).code).toBe(0);
    const again = join(dir, 'second.jsonl');
    expect((await cli(['record', '--topic', second, '--out', again, '--from-beginning', '--max', String(RECORDS), '--no-progress'])).code).toBe(0);
    const partitionsAgain = byPartition(readRecording(again));
    for (const [partition, list] of partitions) {
      const replayedList = partitionsAgain.get(partition) ?? [];
      expect(replayedList.map((l) => [l.kafka.key, l.value])).toEqual(list.map((l) => [l.kafka.key, l.value]));
    }
  });
});
