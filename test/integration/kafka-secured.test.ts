/**
 * Issue 7, "Kafka SSL and SASL options pass through to the client; secrets never appear in logs or
 * /status", against a real secured broker of its own (scripts/kafka-local with SASL_PLAINTEXT, SSL,
 * SASL_SSL and mutual-TLS listeners; a CA and a client certificate made for it by keytool and openssl)
 * and the built CLI as a user runs it: the password comes from the environment, everything else from
 * flags.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummaryJson } from '../../src/app/summary.js';
import { envNameOf } from '../../src/config/names.js';
import { createKafkaClient } from '../../src/sources/kafka/index.js';
import type { KafkaClient } from '../../src/sources/kafka/index.js';
import { uniqueName } from '../helpers/kafka.js';
import { statsvilleLines } from '../helpers/learner-kafka.js';
import { startSecuredBroker } from '../helpers/secured-broker.js';
import type { SecuredBroker } from '../helpers/secured-broker.js';

const BIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const RECORDS = 2_000;
const USER = 'alice';
// Random, so that finding it in an output can only mean it leaked.
const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
const WRONG_PASSWORD = `wrong-${randomBytes(8).toString('hex')}`;
const PASSWORD_ENV = envNameOf(['source', 'sasl', 'password']);
/** A run that neither trains nor fails by then is a hang: killed, and the test fails with its output. */
const RUN_DEADLINE_MS = 120_000;
/** Auth and certificate failures must end the run this fast; kafkajs' own retries take ~10 s. */
const FAIL_FAST_MS = 45_000;

let broker: SecuredBroker;
let topic: string;
let scratch: string;
const children: ChildProcess[] = [];

/** A client of the SASL_PLAINTEXT listener with the test user's credentials. */
function saslClient(): KafkaClient {
  return createKafkaClient({
    brokers: [broker.saslPlaintext],
    clientId: 'online-learner-test',
    sasl: { mechanism: 'plain', username: USER, password: PASSWORD },
  });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'ol-kafka-secured-'));
  const t0 = performance.now();
  broker = await startSecuredBroker({ users: { [USER]: PASSWORD } });
  console.info(`[kafka-secured] TLS material and broker ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  topic = uniqueName('secured');
  const client = saslClient();
  const admin = await client.admin();
  try {
    await admin.createTopics([{ topic, partitions: 1 }]);
  } finally {
    await admin.disconnect();
  }
  const producer = await client.producer();
  try {
    await producer.send(topic, statsvilleLines(RECORDS, 7).map((value) => ({ value })));
  } finally {
    await producer.disconnect();
  }
}, 300_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await broker?.stop();
}, 120_000);

interface RunOptions {
  readonly brokers: string;
  readonly groupId: string;
  readonly ssl?: boolean;
  /** The SASL password, given as a user gives it: in the environment. */
  readonly password?: string;
  /** The broker's CA as Node's extra trusted CAs (NODE_EXTRA_CA_CERTS). */
  readonly caFile?: string;
  /** Extra flags, e.g. `--source.tls.caFile`. */
  readonly flags?: readonly string[];
  readonly idleExitMs?: number;
}

interface Run {
  /** stdout and stderr so far. */
  output(): string;
  readonly summaryPath: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

function train({ brokers, groupId, ssl = false, password, caFile, flags = [], idleExitMs = 2_000 }: RunOptions): Run {
  const summaryPath = join(scratch, `${groupId}.json`);
  const args = [
    BIN,
    'train',
    ...['--brokers', brokers, '--topic', topic, '--group', groupId, '--from-beginning'],
    ...(ssl ? ['--source.ssl', 'true'] : []),
    ...(password === undefined ? [] : ['--source.sasl.mechanism', 'plain', '--source.sasl.username', USER]),
    ...['--schema.features', 'height_cm,weight_kg', '--schema.task', 'multiclass', '--schema.classes', 'man,woman,child'],
    ...['--idle-exit-ms', String(idleExitMs), '--port', '0', '--no-progress', '--summary-json', summaryPath],
    ...flags,
  ];
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('ONLINE_LEARNER_') && name !== 'NODE_EXTRA_CA_CERTS') env[name] = value;
  }
  if (password !== undefined) env[PASSWORD_ENV] = password;
  if (caFile !== undefined) env.NODE_EXTRA_CA_CERTS = caFile;
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`online-learner train still running after ${RUN_DEADLINE_MS} ms:\n${output}`));
    }, RUN_DEADLINE_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      resolve({ code, signal, ms: Math.round(performance.now() - started) });
    });
  });
  return { output: () => output, summaryPath, exit };
}

async function committedAndEnd(groupId: string): Promise<{ committed: string | null; end: string }> {
  const admin = await saslClient().admin();
  try {
    const [end] = await admin.endOffsets(topic);
    const [committed] = await admin.committedOffsets(groupId, topic);
    return { committed: committed?.offset ?? null, end: end.offset };
  } finally {
    await admin.disconnect();
  }
}

/** Trains the whole topic, exits 0, and the group's commit reaches the end offset. */
async function expectTrainsToTheEnd(run: Run, groupId: string): Promise<void> {
  const exit = await run.exit;
  expect(exit, run.output()).toMatchObject({ code: 0, signal: null });
  const summary = JSON.parse(readFileSync(run.summaryPath, 'utf8')) as RunSummaryJson;
  expect(summary.records).toBe(RECORDS);
  expect(summary.samples).toBe(RECORDS);
  expect(summary.rejected).toBe(0);
  expect(await committedAndEnd(groupId)).toEqual({ committed: String(RECORDS), end: String(RECORDS) });
  console.info(`[kafka-secured] ${expect.getState().currentTestName}: ${exit.ms} ms`);
}

describe('online-learner train against a secured Kafka broker', () => {
  it('SASL/PLAIN with the right password (from the environment) trains the topic to its end and exits 0', async () => {
    const groupId = uniqueName('g');
    const run = train({ brokers: broker.saslPlaintext, groupId, password: PASSWORD });
    await expectTrainsToTheEnd(run, groupId);
    expect(run.output()).not.toContain(PASSWORD);
  });

  it('a wrong SASL password fails fast with an authentication error, exit 1, and no password in the output', async () => {
    const run = train({ brokers: broker.saslPlaintext, groupId: uniqueName('g'), password: WRONG_PASSWORD });
    const exit = await run.exit;
    expect(exit, run.output()).toMatchObject({ code: 1, signal: null });
    expect(exit.ms).toBeLessThan(FAIL_FAST_MS);
    expect(run.output()).toMatch(/SASL PLAIN authentication failed: .*Invalid username or password/);
    expect(run.output()).not.toContain(WRONG_PASSWORD);
    expect(run.output()).not.toContain(PASSWORD);
    console.info(`[kafka-secured] wrong password: exit ${exit.code} after ${exit.ms} ms`);
  });

  it('GET /status during a SASL run shows the source config with the password redacted', async () => {
    const groupId = uniqueName('g');
    // The idle wait keeps the run up after the backlog: /status is read within it.
    const run = train({ brokers: broker.saslPlaintext, groupId, password: PASSWORD, idleExitMs: 5_000 });
    let url: string | undefined;
    const deadline = Date.now() + 60_000;
    while ((url = /serving (http:\/\/\S+?)\/metrics/.exec(run.output())?.[1]) === undefined && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 50));
    }
    expect(url, run.output()).toBeDefined();
    const body = await (await fetch(`${url}/status`)).text();
    const status = JSON.parse(body) as { config: { source: Record<string, unknown> } };
    expect(status.config.source).toMatchObject({
      type: 'kafka',
      brokers: [broker.saslPlaintext],
      ssl: false,
      sasl: { mechanism: 'plain', username: USER, password: '[redacted]' },
    });
    expect(body).not.toContain(PASSWORD);
    await expectTrainsToTheEnd(run, groupId);
    expect(run.output()).not.toContain(PASSWORD);
  });

  it('TLS with the broker CA in NODE_EXTRA_CA_CERTS trains over the SSL listener', async () => {
    const groupId = uniqueName('g');
    await expectTrainsToTheEnd(train({ brokers: broker.ssl, groupId, ssl: true, caFile: broker.caFile }), groupId);
  });

  it('TLS with the broker CA named by --source.tls.caFile (nothing in the environment) trains over the SSL listener', async () => {
    const groupId = uniqueName('g');
    await expectTrainsToTheEnd(train({ brokers: broker.ssl, groupId, flags: ['--source.tls.caFile', broker.caFile] }), groupId);
  });

  it('TLS without the CA fails with a certificate error, exit 1, not a hang', async () => {
    const run = train({ brokers: broker.ssl, groupId: uniqueName('g'), ssl: true });
    const exit = await run.exit;
    expect(exit, run.output()).toMatchObject({ code: 1, signal: null });
    expect(exit.ms).toBeLessThan(FAIL_FAST_MS);
    // Node's wording for a chain that ends in a CA it does not trust.
    expect(run.output()).toMatch(/self-signed certificate in certificate chain/);
    expect(run.output()).toMatch(/hint: .*source\.tls\.caFile/);
    console.info(`[kafka-secured] TLS without the CA: exit ${exit.code} after ${exit.ms} ms`);
  });

  it('mutual TLS: with a client certificate from --source.tls.certFile and keyFile, trains over the listener that requires one', async () => {
    const groupId = uniqueName('g');
    const flags = ['--source.tls.caFile', broker.caFile, '--source.tls.certFile', broker.clientCertFile, '--source.tls.keyFile', broker.clientKeyFile];
    await expectTrainsToTheEnd(train({ brokers: broker.mtls, groupId, flags }), groupId);
  });

  it('mutual TLS without a client certificate fails with the broker\'s alert and a hint naming certFile, exit 1, not a hang', async () => {
    const run = train({ brokers: broker.mtls, groupId: uniqueName('g'), flags: ['--source.tls.caFile', broker.caFile] });
    const exit = await run.exit;
    expect(exit, run.output()).toMatchObject({ code: 1, signal: null });
    expect(exit.ms).toBeLessThan(FAIL_FAST_MS);
    // The broker's refusal as OpenSSL words it (TLS 1.2 or 1.3), then what to do about it.
    expect(run.output()).toMatch(/alert (bad certificate|certificate required)/);
    expect(run.output()).toMatch(/hint: .*requires mutual TLS.*source\.tls\.certFile and source\.tls\.keyFile/);
    console.info(`[kafka-secured] mutual TLS without a client certificate: exit ${exit.code} after ${exit.ms} ms`);
  });

  it('SASL/PLAIN over TLS (SASL_SSL) trains the topic to its end', async () => {
    const groupId = uniqueName('g');
    const run = train({ brokers: broker.saslSsl, groupId, ssl: true, password: PASSWORD, caFile: broker.caFile });
    await expectTrainsToTheEnd(run, groupId);
    expect(run.output()).not.toContain(PASSWORD);
  });
});
