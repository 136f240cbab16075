/**
 * A throw-away broker from scripts/kafka-local for one test run: free ports (or KAFKA_LOCAL_PORT /
 * KAFKA_LOCAL_CONTROLLER_PORT), its own temporary data dir, and a stop that proves nothing is left.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KafkaLocalControl } from './kafka-context.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const KAFKA_LOCAL_SCRIPT = join(repoRoot, 'scripts/kafka-local');
const HOST = '127.0.0.1';

export interface ScriptResult {
  readonly code: number;
  readonly output: string;
}

/** Runs `bash scripts/kafka-local <command>`; never rejects, the exit code is the answer. */
export function runKafkaLocal(
  command: string,
  env: Readonly<Record<string, string>>,
  script = KAFKA_LOCAL_SCRIPT,
): Promise<ScriptResult> {
  return new Promise((done) => {
    execFile(
      'bash',
      [script, command],
      { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        done({ code, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

export interface LocalBroker {
  readonly brokers: string[];
  readonly control: KafkaLocalControl;
  /** Stops the broker, checks that no process and no listener is left, deletes the data dir. */
  stop(): Promise<void>;
}

/** Null with the reason when this machine cannot run kafka-local (no java, no mvn and no jar cache...). */
export async function localBrokerUnavailable(): Promise<string | null> {
  const fetched = await runKafkaLocal('fetch', {});
  return fetched.code === 0 ? null : fetched.output;
}

export async function startLocalBroker(): Promise<LocalBroker> {
  const [freeA, freeB] = await freePorts(2);
  const port = process.env.KAFKA_LOCAL_PORT ?? String(freeA);
  const controllerPort = process.env.KAFKA_LOCAL_CONTROLLER_PORT ?? String(freeB);
  const dataDir = await mkdtemp(join(tmpdir(), 'online-learner-kafka-'));
  const env = { KAFKA_LOCAL_PORT: port, KAFKA_LOCAL_CONTROLLER_PORT: controllerPort, KAFKA_LOCAL_DATA_DIR: dataDir };
  const stop = await launchKafkaLocal({ env, dir: dataDir, ports: [Number(port), Number(controllerPort)], label: 'the test broker', keepLog: true });
  return { brokers: [`${HOST}:${port}`], control: { script: KAFKA_LOCAL_SCRIPT, env }, stop };
}

export interface LaunchOptions {
  /** kafka-local's environment: its ports, KAFKA_LOCAL_DATA_DIR (inside `dir`), any secured listeners. */
  readonly env: Readonly<Record<string, string>>;
  /** The broker's temporary directory (its data dir or a parent of it): deleted at stop. */
  readonly dir: string;
  /** Every port the broker listens on: none may accept connections after stop. */
  readonly ports: readonly number[];
  /** For messages: "the test broker". */
  readonly label: string;
  /** Copy server.log to test-artifacts/ at stop, for a post-mortem of a failed run. */
  readonly keepLog?: boolean;
}

/**
 * Starts scripts/kafka-local; the returned stop stops it and proves nothing is left (kafka-local status
 * finds no broker, its last pid is gone, no port accepts connections), killing what survived and
 * deleting `dir` either way. If the test run dies without calling stop, the broker is killed at exit.
 */
export async function launchKafkaLocal({ env, dir, ports, label, keepLog = false }: LaunchOptions): Promise<() => Promise<void>> {
  const dataDir = env.KAFKA_LOCAL_DATA_DIR;
  const pidFile = join(dataDir, 'kafka.pid');
  // Last resort when the run dies without stop (vitest turns SIGINT/SIGTERM into process.exit()): the
  // pid file follows restarts made by tests, so read it at exit, not now.
  const killAtExit = (): void => {
    killPidFile(pidFile, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', killAtExit);

  const started = await runKafkaLocal('start', env);
  if (started.code !== 0) {
    killAtExit();
    process.off('exit', killAtExit);
    throw new Error(`scripts/kafka-local start (${label}) failed (exit ${started.code}):\n${started.output}`);
  }

  return async () => {
    const lastPid = readPid(pidFile);
    const stopped = await runKafkaLocal('stop', env);
    const leftovers: string[] = [];
    if (stopped.code !== 0) leftovers.push(`kafka-local stop exited ${stopped.code}: ${stopped.output}`);
    const status = await runKafkaLocal('status', env);
    if (status.code !== 3) leftovers.push(`kafka-local status still finds a broker: ${status.output}`);
    if (lastPid !== null && isAlive(lastPid)) leftovers.push(`pid ${lastPid} is alive`);
    for (const p of ports) {
      if (await accepts(p)) leftovers.push(`${HOST}:${p} still accepts connections`);
    }
    if (keepLog) keepLogForPostMortem(dataDir);
    // A broker that survived stop still has its pid file: the script removes it only once all is gone.
    killAtExit();
    process.off('exit', killAtExit);
    if (leftovers.length > 0) throw new Error(`${label} was not stopped cleanly (then killed): ${leftovers.join('; ')}`);
  };
}

function keepLogForPostMortem(dataDir: string): void {
  const log = join(dataDir, 'server.log');
  if (!existsSync(log)) return;
  const artifacts = join(repoRoot, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  copyFileSync(log, join(artifacts, 'kafka-local-server.log'));
}

function readPid(pidFile: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function killPidFile(pidFile: string, signal: NodeJS.Signals): void {
  const pid = readPid(pidFile);
  if (pid === null) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone: the wanted outcome.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `count` distinct free ports: all listened on at once, so none is handed out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((done, fail) => {
          server.once('error', fail);
          server.listen(0, HOST, () => {
            const address = server.address();
            done(typeof address === 'object' && address !== null ? address.port : 0);
          });
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
