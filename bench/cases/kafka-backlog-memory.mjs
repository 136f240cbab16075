/**
 * Issue 8, case 6: resident set under 300 MB while a 10M-record backlog is consumed with backpressure.
 *
 * A throw-away broker (lib/kafka.mjs) gets one topic with one partition and `--records` Statsville
 * records (the recorded stream's generator, seed 1, about 80 bytes of JSON each). Then, one after the
 * other, each contestant drains the whole backlog from the beginning in its own process while
 * lib/rss.mjs samples that process's VmRSS and VmHWM every 250 ms:
 *
 *   ours           `node dist/cli/main.js train` with the Kafka source: the chapter's 2 -> 100 -> 3 MLP,
 *                  SGD lr 0.02, batch 10, shuffle buffer 1000, /metrics served on a free port, idle
 *                  exit 3 s after the last record; the summary must count exactly `records` records.
 *   kafkajs-drain  peers/kafkajs-drain.mjs: a bare kafkajs consumer that only JSON.parses each value.
 *   ours:empty     the same `train` on an empty topic (reference): the resident set before any record,
 *                  what the process costs whatever the stream.
 *
 * Not a timed-repetition case: one long run (10M records: about 10-15 minutes on the 2-core bench
 * machine, see bench/README.md), run only when named: `node bench/run.mjs kafka-backlog-memory`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRecord, streamRecords } from '../../dist/streams/index.js';
import { onInterrupt } from '../lib/interrupt.mjs';
import { createTopic, produceBacklog, withBroker } from '../lib/kafka.mjs';
import { sampleRss } from '../lib/rss.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const TOPIC = 'statsville-backlog';
const EMPTY_TOPIC = 'empty';
// The "300 MB" read the strict way (decimal megabytes: 286 MiB).
const TARGET_RSS_BYTES = 300e6;
const IDLE_EXIT_MS = 3_000;
// Generous: a drain slower than this is broken, not slow (the bench machine drains at 20k+ records/s).
const MIN_RECORDS_PER_SECOND = 2_000;
const MIB = 1024 * 1024;

/** The stream's canonical JSON lines without their newline: exactly what `online-learner record` would produce. */
function* statsvilleValues(records) {
  for (const record of streamRecords('statsville', { records, seed: 1 })) yield formatRecord(record).slice(0, -1);
}

function oursArgs(brokers, topic, summaryFile) {
  return [
    CLI, 'train',
    '--brokers', brokers.join(','), '--topic', topic, '--group', `bench-ours-${topic}`, '--from-beginning',
    '--schema.features', 'height_cm,weight_kg', '--schema.task', 'multiclass', '--schema.classes', 'man,woman,child',
    '--model', 'mlp', '--hidden', '100', '--activation', 'relu', '--loss', 'softmax_cross_entropy',
    '--optimizer', 'sgd', '--lr', '0.02', '--batch-size', '10', '--shuffle-buffer', '1000',
    '--idle-exit-ms', String(IDLE_EXIT_MS), '--port', '0', '--no-progress', '--summary-json', summaryFile,
  ];
}

/**
 * Runs `node args...` to its end while sampling its resident set. Rejects when it exits non-zero or
 * outlives `timeoutMs` (then it is killed). Resolves to `{ wallSeconds, rss, stdout, stderrTail }`.
 */
function measured(name, args, timeoutMs, log) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const forget = onInterrupt(() => child.kill('SIGKILL'));
    const sampler = sampleRss(child.pid);
    let stdout = '';
    let stderrTail = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
    });
    const timer = setTimeout(() => {
      log(`  ${name}: no end after ${timeoutMs / 1000} s, killing it`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      forget();
      sampler.stop();
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      forget();
      const rss = sampler.stop();
      const wallSeconds = (performance.now() - t0) / 1000;
      if (code !== 0) reject(new Error(`${name} exited with ${code ?? signal}: ${stderrTail.trim()}`));
      else resolve({ wallSeconds, rss, stdout, stderrTail });
    });
  });
}

async function runOurs(name, role, brokers, topic, records, ctx) {
  const summaryFile = join(ctx.tmpDir, `kafka-backlog-memory-${topic}.json`);
  const run = await measured(name, oursArgs(brokers, topic, summaryFile), timeoutMsFor(records), ctx.log);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  // The summary's seconds run from joining the group to the idle exit: the idle wait is not draining.
  const drainSeconds = records === 0 ? null : summary.seconds - IDLE_EXIT_MS / 1000;
  return {
    name,
    role,
    describe: `online-learner train from Kafka topic ${topic}: mlp [100] relu, sgd 0.02, batch 10, shuffle 1000, /metrics served`,
    rss: run.rss,
    wallSeconds: run.wallSeconds,
    drainSeconds,
    recordsPerSecond: records === 0 ? null : summary.records / drainSeconds,
    counted: { records: summary.records, samples: summary.samples, rejected: summary.rejected, steps: summary.steps },
    exact: summary.records === records && summary.samples === records && summary.rejected === 0,
    accuracy: summary.accuracy,
  };
}

async function runPeer(brokers, records, ctx) {
  const config = { brokers, topic: TOPIC, groupId: 'bench-kafkajs-drain', records };
  const run = await measured('kafkajs-drain', [ctx.peer('kafkajs-drain.mjs'), JSON.stringify(config)], timeoutMsFor(records), ctx.log);
  const line = run.stdout.split('\n').find((l) => l.startsWith('@@bench '));
  if (line === undefined) throw new Error(`kafkajs-drain printed no result: ${run.stderrTail.trim()}`);
  const reply = JSON.parse(line.slice('@@bench '.length));
  return {
    name: 'kafkajs-drain',
    role: 'peer',
    describe: 'bare kafkajs 2.2 consumer, eachBatch, JSON.parse of each value, nothing else',
    rss: run.rss,
    wallSeconds: run.wallSeconds,
    drainSeconds: reply.seconds,
    recordsPerSecond: reply.records / reply.seconds,
    counted: { records: reply.records, parseErrors: reply.parseErrors },
    exact: reply.records === records && reply.parseErrors === 0,
  };
}

function timeoutMsFor(records) {
  return Math.max(120_000, (records / MIN_RECORDS_PER_SECOND) * 1000);
}

function parseRecords(text) {
  const records = text === undefined ? 10_000_000 : Number(text);
  if (!Number.isSafeInteger(records) || records < 1) throw new Error(`--records: ${text} must be a positive integer`);
  return records;
}

export default {
  name: 'kafka-backlog-memory',
  title: 'resident set while `train` drains a Statsville backlog from Kafka with backpressure',
  onlyWhenNamed: true,
  options: {
    records: 'backlog size in records (default 10,000,000)',
    producer: "kcat or kafkajs (default: kcat when on PATH)",
  },
  async run(ctx, caseOptions) {
    const records = parseRecords(caseOptions.records);
    return withBroker(
      async (broker) => {
        await createTopic(broker.brokers, TOPIC, { partitions: 1 });
        await createTopic(broker.brokers, EMPTY_TOPIC, { partitions: 1 });
        ctx.log(`  producing ${records.toLocaleString('en-US')} records ...`);
        const produced = await produceBacklog(broker.brokers, TOPIC, statsvilleValues(records), {
          records,
          producer: caseOptions.producer,
          log: ctx.log,
        });
        ctx.log(`  produced in ${produced.seconds.toFixed(1)} s with ${produced.producer}; ours drains it ...`);
        const ours = await runOurs('ours', 'ours', broker.brokers, TOPIC, records, ctx);
        ctx.log(`  ours: peak ${(ours.rss.hwmBytes / MIB).toFixed(0)} MiB; kafkajs-drain drains it ...`);
        const peer = await runPeer(broker.brokers, records, ctx);
        ctx.log('  ours on the empty topic ...');
        const empty = await runOurs('ours:empty', 'reference', broker.brokers, EMPTY_TOPIC, 0, ctx);
        const met = ours.exact && ours.rss.hwmBytes < TARGET_RSS_BYTES;
        return {
          name: 'kafka-backlog-memory',
          title: this.title,
          records,
          produce: { producer: produced.producer, seconds: produced.seconds, bytes: produced.bytes },
          contestants: [ours, peer, empty],
          targets: [{ text: 'resident set of ours under 300 MB = 286 MiB (VmHWM), every record counted', peakRssBytes: ours.rss.hwmBytes, met }],
        };
      },
      { log: ctx.log },
    );
  },
  format(result) {
    const mib = (bytes) => `${(bytes / MIB).toFixed(0)} MiB`;
    const rows = result.contestants.map((c) => [
      c.name,
      mib(c.rss.hwmBytes),
      mib(c.rss.peakRssBytes),
      mib(c.rss.meanRssBytes),
      c.recordsPerSecond === null ? '-' : `${Math.round(c.recordsPerSecond).toLocaleString('en-US')}`,
      c.drainSeconds === null ? '-' : `${c.drainSeconds.toFixed(1)} s`,
      c.exact ? `all ${c.counted.records.toLocaleString('en-US')}` : `WRONG: ${JSON.stringify(c.counted)}`,
    ]);
    const header = ['contestant', 'peak (VmHWM)', 'peak sampled', 'mean sampled', 'records/s', 'drain', 'counted'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    const target = result.targets[0];
    return [
      `\n## ${result.name}: ${result.title}`,
      `${result.records.toLocaleString('en-US')} records (${mib(result.produce.bytes)} of JSON) produced in ${result.produce.seconds.toFixed(1)} s with ${result.produce.producer}; RSS sampled every 250 ms`,
      line(header),
      widths.map((w) => '-'.repeat(w)).join('  '),
      ...rows.map(line),
      `target: ${target.text}: ${target.met ? 'met' : 'MISSED'} (${mib(target.peakRssBytes)})`,
    ].join('\n');
  },
};
