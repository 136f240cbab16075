/**
 * Issue 8, case 5: end to end from Kafka, one partition. Targets: ours on JSON at least 0.8x a bare
 * kafkajs consumer that only parses; ours on the binary format at least 1M samples/s.
 *
 * A throw-away broker (lib/kafka.mjs) gets two one-partition topics of Statsville samples (the recorded
 * stream's generator, seed 1): the first `--records` as one JSON record per message (about 80 bytes
 * each), and the first `--binary-records` in the binary format (docs/binary-format.md) with
 * `--per-message` samples per message. The binary backlog is longer by default (1,000,000 samples) so
 * that its drain lasts about a second: at 200,000 samples it took 0.2 s and its figure swung 929k-1.35M
 * samples/s from run to run.
 * Then, in `--rounds` rounds whose order rotates, each contestant drains its topic from the beginning in
 * a fresh consumer group, in this process:
 *
 *   bare kafkajs  a kafkajs 2.2 consumer (eachBatch, default fetch sizes) that JSON.parses each value
 *                 and does nothing else: the floor of reading the topic in Node.
 *   ours json     runTrainJob with the Kafka source, as `online-learner train` runs it: decode and
 *                 validate, standardize, shuffle buffer 1000, minibatches of 32, a softmax regression
 *                 (2 -> 3, Adam lr 0.01), offsets committed every second for the records trained.
 *   ours binary   the same with source.format binary.
 *
 * Each drain is timed from its first record to its last one done (kafkajs: parsed; ours: trained in a
 * step), so the group join and the disconnect are not counted. The model is a linear one on purpose:
 * this case measures the path from Kafka to the trainer; the trainer's own speed on bigger models is
 * the mlp-* cases'. After each of our drains the group's committed offset must be the topic's end.
 *
 *   node bench/run.mjs kafka-e2e [--records N] [--binary-records M] [--per-message K] [--rounds R]
 */
import { tap } from 'rxjs';
import { runTrainJob } from '../../dist/app/train-job.js';
import { kafkaSourceOf } from '../../dist/app/kafka-input.js';
import { resolveConfig } from '../../dist/config/load.js';
import { encodeBinarySamples } from '../../dist/pipeline/binary-format.js';
import { formatRecord, streamRecords } from '../../dist/streams/index.js';
import { createTopic, endOffset, kafkaClient, produceBacklog, withBroker } from '../lib/kafka.mjs';
import { formatValue } from '../lib/report.mjs';
import { summarize } from '../lib/stats.mjs';

const JSON_TOPIC = 'e2e-json';
const BINARY_TOPIC = 'e2e-binary';
const CLASSES = ['man', 'woman', 'child'];
const TARGET_JSON_RATIO = 0.8;
const TARGET_BINARY_SAMPLES_PER_SECOND = 1e6;
const quiet = { write: () => true };

/** The first `records` Statsville samples as features and labels, the first `jsonLines` of them also as JSON lines. */
function statsvilleSamples(records, jsonLines) {
  const features = new Float32Array(2 * records);
  const labels = new Uint32Array(records);
  const lines = [];
  let i = 0;
  for (const record of streamRecords('statsville', { records, seed: 1 })) {
    if (i < jsonLines) lines.push(formatRecord(record).slice(0, -1));
    features[2 * i] = record.features.height_cm;
    features[2 * i + 1] = record.features.weight_kg;
    labels[i] = CLASSES.indexOf(record.label);
    i++;
  }
  return { lines, features, labels };
}

/** The first `samples` samples in binary messages of `perMessage` samples. */
function binaryMessages({ features, labels }, samples, perMessage) {
  const messages = [];
  for (let start = 0; start < samples; start += perMessage) {
    const end = Math.min(samples, start + perMessage);
    messages.push(encodeBinarySamples({ features: features.subarray(2 * start, 2 * end), featureCount: 2, labels: labels.subarray(start, end) }));
  }
  return messages;
}

/** Times `drain(started, finished)` from its first record (started()) to its last (finished()). */
async function timed(drain) {
  let t0 = null;
  let cpu0 = null;
  let t1 = null;
  let cpu1 = null;
  const started = () => {
    if (t0 !== null) return;
    t0 = performance.now();
    cpu0 = process.cpuUsage();
  };
  const finished = () => {
    t1 = performance.now();
    cpu1 = process.cpuUsage(cpu0);
  };
  const counted = await drain(started, finished);
  if (t0 === null || t1 === null) throw new Error('the drain saw no record');
  return { ...counted, seconds: (t1 - t0) / 1000, cpuSeconds: (cpu1.user + cpu1.system) / 1e6 };
}

async function bareKafkajs(brokers, records, groupId) {
  return timed(async (started, finished) => {
    const consumer = kafkaClient(brokers, 'bench-bare').consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topics: [JSON_TOPIC], fromBeginning: true });
    let parsed = 0;
    let parseErrors = 0;
    await new Promise((resolve) => {
      consumer.run({
        eachBatch: async ({ batch }) => {
          started();
          for (const message of batch.messages) {
            try {
              JSON.parse(message.value.toString('utf8'));
            } catch {
              parseErrors++;
            }
            parsed++;
          }
          if (parsed >= records) {
            finished();
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    return { records: parsed, samples: parsed, exact: parsed === records && parseErrors === 0 };
  });
}

async function ours(brokers, format, messages, samples, groupId) {
  const topic = format === 'binary' ? BINARY_TOPIC : JSON_TOPIC;
  const config = resolveConfig({
    file: {
      label: 'kafka-e2e',
      values: {
        source: { type: 'kafka', brokers, topic, groupId, fromBeginning: true, format },
        schema: { features: ['height_cm', 'weight_kg'], task: 'multiclass', classes: CLASSES },
        model: { type: 'softmax' },
        optimizer: { type: 'adam', lr: 0.01 },
        training: { batchSize: 32, shuffleBuffer: 1000, standardize: true, seed: 1, maxRecords: messages },
      },
    },
  });
  let result;
  const counted = await timed(async (started, finished) => {
    const source = await kafkaSourceOf(config);
    result = await runTrainJob(config, {
      source: { ...source, records: source.records.pipe(tap(started)) },
      log: quiet,
      progress: false,
      onEvent: (_event, learner) => {
        const c = learner.counters;
        if (c.samplesTrained + c.samplesRefused >= samples) finished();
      },
    });
    const s = result.summary;
    return { records: s.records, samples: s.samples, exact: s.records === messages && s.samples === samples && s.rejected === 0 };
  });
  const committed = await committedOffset(brokers, groupId, topic);
  return { ...counted, exact: counted.exact && committed === String(messages), committed, accuracy: result.summary.quality.windowAccuracy };
}

async function committedOffset(brokers, groupId, topic) {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return partitions[0].offset;
  } finally {
    await admin.disconnect();
  }
}

/** Metadata of a new topic can lag its creation on a loaded broker ("does not host this topic-partition"). */
async function whenServed(brokers, topic, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await endOffset(brokers, topic);
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function positiveInt(name, text, fallback) {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name}: ${text} must be a positive integer`);
  return value;
}

function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

export default {
  name: 'kafka-e2e',
  title: 'end to end from Kafka, one partition: JSON against a bare kafkajs consumer, and the binary format',
  onlyWhenNamed: true,
  options: {
    records: 'samples in the JSON backlog (default 200,000)',
    'binary-records': 'samples in the binary backlog (default 1,000,000)',
    'per-message': 'samples per binary message (default 256)',
    rounds: 'drains per contestant, in rotating order (default 5)',
  },
  async run(ctx, caseOptions) {
    const records = positiveInt('records', caseOptions.records, 200_000);
    const binaryRecords = positiveInt('binary-records', caseOptions['binary-records'], 1_000_000);
    const perMessage = positiveInt('per-message', caseOptions['per-message'], 256);
    const rounds = positiveInt('rounds', caseOptions.rounds, 5);
    const data = statsvilleSamples(Math.max(records, binaryRecords), records);
    const binary = binaryMessages(data, binaryRecords, perMessage);
    return withBroker(
      async (broker) => {
        const { brokers } = broker;
        await createTopic(brokers, JSON_TOPIC, { partitions: 1 });
        await createTopic(brokers, BINARY_TOPIC, { partitions: 1 });
        await whenServed(brokers, JSON_TOPIC);
        await whenServed(brokers, BINARY_TOPIC);
        const jsonBacklog = await produceBacklog(brokers, JSON_TOPIC, data.lines, { records, log: ctx.log });
        // kcat splits its input at newlines, which binary values contain: kafkajs produces them.
        const binaryBacklog = await produceBacklog(brokers, BINARY_TOPIC, binary, { records: binary.length, producer: 'kafkajs', log: ctx.log });
        ctx.log(`  backlogs: ${records} JSON records (${jsonBacklog.bytes} bytes), ${binaryRecords} samples in ${binary.length} binary messages (${binaryBacklog.bytes} bytes)`);

        const contestants = [
          { name: 'bare kafkajs', role: 'peer', drain: (g) => bareKafkajs(brokers, records, g) },
          { name: 'ours json', role: 'ours', drain: (g) => ours(brokers, 'json', records, records, g) },
          { name: 'ours binary', role: 'ours', drain: (g) => ours(brokers, 'binary', binary.length, binaryRecords, g) },
        ].map((c) => ({ ...c, runs: [] }));
        for (let round = 0; round < rounds; round++) {
          for (const c of rotate(contestants, round)) {
            const run = await c.drain(`bench-${c.name.replace(' ', '-')}-${round}`);
            if (!run.exact) throw new Error(`${c.name}: the drain is wrong: ${JSON.stringify(run)}`);
            c.runs.push(run);
          }
          ctx.log(`  kafka-e2e: round ${round + 1}/${rounds}`);
        }

        const rows = contestants.map(({ name, role, runs }) => ({
          name,
          role,
          records: runs[0].records,
          samples: runs[0].samples,
          seconds: runs.map((r) => r.seconds),
          cpuSeconds: runs.map((r) => r.cpuSeconds),
          recordsPerSecond: summarize(runs.map((r) => r.records / r.seconds)),
          samplesPerSecond: summarize(runs.map((r) => r.samples / r.seconds)),
          cpuSamplesPerSecond: summarize(runs.map((r) => r.samples / r.cpuSeconds)),
          accuracy: runs[runs.length - 1].accuracy ?? null,
        }));
        const [bare, json, bin] = rows;
        const jsonRatio = json.samplesPerSecond.median / bare.samplesPerSecond.median;
        const jsonCpuRatio = json.cpuSamplesPerSecond.median / bare.cpuSamplesPerSecond.median;
        return {
          name: 'kafka-e2e',
          title: this.title,
          records,
          binaryRecords,
          perMessage,
          rounds,
          backlogBytes: { json: jsonBacklog.bytes, binary: binaryBacklog.bytes },
          contestants: rows,
          targets: [
            { text: `ours json at least ${TARGET_JSON_RATIO}x bare kafkajs`, ratio: jsonRatio, cpuRatio: jsonCpuRatio, met: jsonRatio >= TARGET_JSON_RATIO },
            {
              text: 'ours binary at least 1M samples/s',
              samplesPerSecond: bin.samplesPerSecond.median,
              met: bin.samplesPerSecond.median >= TARGET_BINARY_SAMPLES_PER_SECOND,
            },
          ],
        };
      },
      { log: ctx.log },
    );
  },
  format(result) {
    // formatValue writes 3 significant digits, which turns 1,020 into 1.02e+3.
    const rate = (v) => (v >= 1e4 ? formatValue(v) : Math.round(v).toLocaleString('en-US'));
    const header = ['contestant', 'records/s', 'samples/s', 'min..max', 'IQR', 'samples/s by CPU', 'accuracy'];
    const rows = result.contestants.map((c) => [
      c.name,
      rate(c.recordsPerSecond.median),
      rate(c.samplesPerSecond.median),
      `${rate(c.samplesPerSecond.min)}..${rate(c.samplesPerSecond.max)}`,
      `${(100 * c.samplesPerSecond.relativeIqr).toFixed(0)}%`,
      rate(c.cpuSamplesPerSecond.median),
      c.accuracy === null ? '-' : c.accuracy.toFixed(3),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    const [ratio, binary] = result.targets;
    return [
      `\n## ${result.name}: ${result.title}`,
      `${result.records.toLocaleString('en-US')} samples in ${result.backlogBytes.json.toLocaleString('en-US')} bytes of JSON, ` +
        `${(result.binaryRecords ?? result.records).toLocaleString('en-US')} in ${result.backlogBytes.binary.toLocaleString('en-US')} bytes binary (${result.perMessage} per message); medians of ${result.rounds} drains each, first record to last done`,
      line(header),
      widths.map((w) => '-'.repeat(w)).join('  '),
      ...rows.map(line),
      `target: ${ratio.text}: ${ratio.met ? 'MET' : 'MISSED'} (${ratio.ratio.toFixed(2)}x by the wall clock, ${ratio.cpuRatio.toFixed(2)}x by CPU time)`,
      `target: ${binary.text}: ${binary.met ? 'MET' : 'MISSED'} (${formatValue(binary.samplesPerSecond)} samples/s)`,
    ].join('\n');
  },
};
