/**
 * A throw-away Kafka broker for benchmarks: scripts/kafka-local (Apache Kafka from Maven jars, KRaft, no
 * Docker) on free ports with its own temporary data dir, a topic with unlimited retention, and a fast
 * producer for a backlog. Whatever happens, the broker is stopped and its data dir deleted: by
 * `stop()` (call it in a finally, or use withBroker), and on Ctrl-C / SIGTERM / exit (lib/interrupt.mjs).
 *
 *   await withBroker(async (broker) => {
 *     await createTopic(broker.brokers, 'backlog', { partitions: 1 });
 *     const produced = await produceBacklog(broker.brokers, 'backlog', values(), { records: 1e6 });
 *   });
 *
 * Producing: kcat (librdkafka) when it is on PATH, else a kafkajs producer; both acks=1, no compression
 * (kafkajs consumers decode only gzip without extra codecs, and gzip would cost more CPU than it saves
 * disk here). With 80-byte Statsville records on the shared 2-core bench machine (load average 9-11),
 * kcat produced 38-110k records/s and kafkajs 13-28k: kcat is 3-4x faster (bench/README.md).
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { onInterrupt } from './interrupt.mjs';

const { Kafka, logLevel } = kafkajs;
const HOST = '127.0.0.1';
export const KAFKA_LOCAL = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'kafka-local');

/**
 * Starts a broker; resolves to `{ brokers, dataDir, stop }`. The first start on a machine fetches the
 * jars (cached in .cache/kafka-local) and takes longer; later ones take 5-25 s on a loaded 2-core box.
 * `log` receives progress lines.
 */
export async function startBroker({ log = () => {} } = {}) {
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'online-learner-bench-kafka-'));
  const env = {
    ...process.env,
    KAFKA_LOCAL_PORT: String(port),
    KAFKA_LOCAL_CONTROLLER_PORT: String(controllerPort),
    KAFKA_LOCAL_DATA_DIR: dataDir,
  };
  const pidFile = join(dataDir, 'kafka.pid');
  const forget = onInterrupt(() => stopNow(env, pidFile, dataDir));
  log(`kafka: starting a broker on ${HOST}:${port} (data ${dataDir})`);
  const t0 = performance.now();
  try {
    await script('start', env);
  } catch (error) {
    stopNow(env, pidFile, dataDir);
    forget();
    throw error;
  }
  log(`kafka: ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  let stopping = null;
  return {
    brokers: [`${HOST}:${port}`],
    dataDir,
    /** Controlled shutdown, SIGKILL if that fails; then checks the pid is gone and deletes the data dir. */
    stop() {
      stopping ??= (async () => {
        const pid = readPid(pidFile);
        try {
          await script('stop', env);
        } finally {
          if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
          rmSync(dataDir, { recursive: true, force: true });
          forget();
        }
        log('kafka: broker stopped, data dir deleted');
      })();
      return stopping;
    },
  };
}

/** Runs `fn(broker)` on a fresh broker and stops it afterwards, whether fn resolved or threw. */
export async function withBroker(fn, options) {
  const broker = await startBroker(options);
  try {
    return await fn(broker);
  } finally {
    await broker.stop();
  }
}

/** A kafkajs client that only logs errors (kafkajs warns on every rebalance otherwise). */
export function kafkaClient(brokers, clientId = 'online-learner-bench') {
  return new Kafka({ clientId, brokers, logLevel: logLevel.ERROR });
}

/**
 * Creates `topic` and waits until its offsets can be read; retention is unlimited by default so that a
 * backlog is never trimmed while a long case consumes it. `configs` adds topic configs (string values).
 */
export async function createTopic(brokers, topic, { partitions = 1, configs = {}, timeoutMs = 30_000 } = {}) {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    const configEntries = Object.entries({ 'retention.ms': '-1', 'retention.bytes': '-1', ...configs }).map(([name, value]) => ({ name, value }));
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries }] });
    // waitForLeaders is not enough under load: the broker's metadata cache may still answer
    // UNKNOWN_TOPIC_OR_PARTITION for a moment, and the next admin call would fail on it.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await admin.fetchTopicOffsets(topic);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`topic ${topic} was created but not readable after ${timeoutMs} ms: ${error.message}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** The sum over partitions of the topic's end offsets (= records in a topic nothing was deleted from). */
export async function endOffset(brokers, topic) {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, o) => sum + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** 'kcat' when kcat is on PATH, else 'kafkajs'. */
export function defaultProducer() {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return 'kcat';
  } catch {
    return 'kafkajs';
  }
}

/**
 * Produces the `records` string values that `values` yields (an iterable; values must not contain a
 * newline, kcat's delimiter) to `topic`, keyless (spread over the partitions by the client's
 * partitioner), acks=1, uncompressed. Checks that the topic's end offset grew by exactly `records`.
 * `batchRecords` (kafkajs only): messages per sendBatch; 1,000 produced 1.6-1.8x faster than 10,000
 * and as fast as 300 (200k Statsville records, interleaved, load average 11). Resolves to
 * `{ records, bytes, seconds, producer }`.
 */
export async function produceBacklog(brokers, topic, values, { records, producer = defaultProducer(), batchRecords = 1_000, log = () => {} }) {
  if (!Number.isInteger(records) || records < 1) throw new Error(`records: ${records} must be a positive integer`);
  const before = await endOffset(brokers, topic);
  const t0 = performance.now();
  const produce = producer === 'kcat' ? produceWithKcat : producer === 'kafkajs' ? produceWithKafkajs : null;
  if (produce === null) throw new Error(`producer: '${producer}' must be 'kcat' or 'kafkajs'`);
  const bytes = await produce(brokers, topic, values, records, { batchRecords, log });
  const seconds = (performance.now() - t0) / 1000;
  const produced = (await endOffset(brokers, topic)) - before;
  if (produced !== records) throw new Error(`${producer} produced ${produced} records to ${topic}, expected ${records}`);
  return { records, bytes, seconds, producer };
}

/** Chunks of about 1 MB of newline-terminated values, piped to `kcat -P` with flow control. */
async function produceWithKcat(brokers, topic, values, records, { log }) {
  const args = [
    '-P', '-b', brokers.join(','), '-t', topic, '-z', 'none',
    '-X', 'acks=1', '-X', 'linger.ms=20', '-X', 'batch.num.messages=10000',
    '-X', 'queue.buffering.max.messages=1000000',
  ];
  const child = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  const forget = onInterrupt(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let bytes = 0;
  try {
    let chunk = [];
    let chunkBytes = 0;
    let n = 0;
    let nextLogAt = 1_000_000;
    for (const value of values) {
      if (n === records) break;
      chunk.push(value);
      chunkBytes += value.length + 1;
      n++;
      if (chunkBytes >= 1 << 20) {
        bytes += chunkBytes;
        await write(child.stdin, `${chunk.join('\n')}\n`);
        chunk = [];
        chunkBytes = 0;
        if (n >= nextLogAt) {
          log(`kafka: ${n.toLocaleString('en-US')} records written to kcat`);
          nextLogAt += 1_000_000;
        }
      }
    }
    if (n < records) throw new Error(`values yielded ${n} records, expected ${records}`);
    if (chunk.length > 0) {
      bytes += chunkBytes;
      await write(child.stdin, `${chunk.join('\n')}\n`);
    }
    child.stdin.end();
    const { code, signal } = await exited;
    if (code !== 0) throw new Error(`kcat exited with ${code ?? signal}: ${stderr.trim()}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    forget();
  }
  return bytes;
}

function write(stream, text) {
  return new Promise((resolve, reject) => {
    const onError = (error) => reject(error);
    stream.once('error', onError);
    const flushed = stream.write(text);
    const done = () => {
      stream.off('error', onError);
      resolve();
    };
    if (flushed) done();
    else stream.once('drain', done);
  });
}

/**
 * sendBatch of up to `batchRecords` messages and 800 kB (under the broker's 1 MB message.max.bytes,
 * which bounds a record batch), up to 4 requests in flight (not idempotent: acks=1 allows it). kafkajs
 * 2.2 groups a batch by partition with an array spread per message, quadratic in the batch size.
 */
async function produceWithKafkajs(brokers, topic, values, records, { batchRecords, log }) {
  const BATCH_BYTES = 800_000;
  // Per-record framing in a v2 record batch (length, attributes, deltas, key, headers): about 10 bytes.
  const RECORD_OVERHEAD_BYTES = 16;
  const IN_FLIGHT = 4;
  const producer = kafkaClient(brokers).producer({ allowAutoTopicCreation: false, maxInFlightRequests: IN_FLIGHT });
  await producer.connect();
  let bytes = 0;
  try {
    const inFlight = new Set();
    let batch = [];
    let batchBytes = 0;
    let n = 0;
    let nextLogAt = 1_000_000;
    const send = async (messages) => {
      const request = producer.sendBatch({ acks: 1, topicMessages: [{ topic, messages }] });
      inFlight.add(request);
      request.finally(() => inFlight.delete(request)).catch(() => {});
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    };
    for (const value of values) {
      if (n === records) break;
      batch.push({ value });
      bytes += value.length;
      batchBytes += value.length + RECORD_OVERHEAD_BYTES;
      n++;
      if (batch.length === batchRecords || batchBytes >= BATCH_BYTES) {
        await send(batch);
        batch = [];
        batchBytes = 0;
        if (n >= nextLogAt) {
          log(`kafka: ${n.toLocaleString('en-US')} records sent`);
          nextLogAt += 1_000_000;
        }
      }
    }
    if (n < records) throw new Error(`values yielded ${n} records, expected ${records}`);
    if (batch.length > 0) await send(batch);
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
  return bytes;
}

function script(command, env) {
  return new Promise((resolve, reject) => {
    execFile('bash', [KAFKA_LOCAL, command], { env, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`scripts/kafka-local ${command} failed (${error.code ?? error.signal}):\n${`${stdout}${stderr}`.trim()}`));
    });
  });
}

/** The synchronous stop of interrupts and exits: controlled shutdown within 20 s, else SIGKILL. */
function stopNow(env, pidFile, dataDir) {
  const pid = readPid(pidFile);
  try {
    execFileSync('bash', [KAFKA_LOCAL, 'stop'], { env: { ...env, KAFKA_LOCAL_STOP_TIMEOUT_S: '10' }, stdio: 'ignore', timeout: 20_000 });
  } catch {
    // Timed out or failed: the kill below is the fallback.
  }
  if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
  if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
}

function readPid(pidFile) {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
