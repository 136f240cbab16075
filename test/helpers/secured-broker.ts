/**
 * A throw-away broker with secured listeners, from scripts/kafka-local: SASL_PLAINTEXT (PLAIN), SSL and
 * SASL_SSL beside the PLAINTEXT one, on free ports, with its own data dir and TLS material (a CA made by
 * keytool for this broker only) in one temporary directory. Separate from the integration project's
 * global broker, which stays plaintext. stop() proves nothing is left and deletes the directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKafkaLocal } from '../setup/kafka-local-broker.js';

const HOST = '127.0.0.1';

export interface SecuredBrokerOptions {
  /** SASL/PLAIN users: name -> password. */
  readonly users: Readonly<Record<string, string>>;
}

export interface SecuredBroker {
  /** host:port of each listener; plaintext is also the inter-broker one. */
  readonly plaintext: string;
  readonly saslPlaintext: string;
  readonly ssl: string;
  readonly saslSsl: string;
  /** PEM of the CA that signed the broker's certificate (for NODE_EXTRA_CA_CERTS). */
  readonly caFile: string;
  /** Stops the broker (SIGKILL if it survives), checks its pid is gone, deletes the directory. */
  stop(): Promise<void>;
}

export async function startSecuredBroker({ users }: SecuredBrokerOptions): Promise<SecuredBroker> {
  const [port, controllerPort, saslPort, sslPort, saslSslPort] = await freePorts(5);
  const dir = await mkdtemp(join(tmpdir(), 'online-learner-kafka-secured-'));
  const dataDir = join(dir, 'data');
  const sslDir = join(dir, 'tls');
  const env = {
    KAFKA_LOCAL_PORT: String(port),
    KAFKA_LOCAL_CONTROLLER_PORT: String(controllerPort),
    KAFKA_LOCAL_SASL_PORT: String(saslPort),
    KAFKA_LOCAL_SSL_PORT: String(sslPort),
    KAFKA_LOCAL_SASL_SSL_PORT: String(saslSslPort),
    KAFKA_LOCAL_DATA_DIR: dataDir,
    KAFKA_LOCAL_SSL_DIR: sslDir,
    // Through the environment, so that the passwords stay out of the process list.
    KAFKA_LOCAL_SASL_PLAIN_USERS: Object.entries(users)
      .map(([user, password]) => `${user}:${password}`)
      .join(','),
  };
  const pidFile = join(dataDir, 'kafka.pid');
  // Last resort when the run dies without afterAll: the pid file is read at exit, not now.
  const killAtExit = (): void => {
    const pid = readPid(pidFile);
    if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', killAtExit);

  const started = await runKafkaLocal('start', env);
  if (started.code !== 0) {
    killAtExit();
    process.off('exit', killAtExit);
    throw new Error(`scripts/kafka-local start (secured) failed (exit ${started.code}):\n${started.output}`);
  }
  return {
    plaintext: `${HOST}:${port}`,
    saslPlaintext: `${HOST}:${saslPort}`,
    ssl: `${HOST}:${sslPort}`,
    saslSsl: `${HOST}:${saslSslPort}`,
    caFile: join(sslDir, 'ca.pem'),
    async stop() {
      const pid = readPid(pidFile);
      const stopped = await runKafkaLocal('stop', env);
      const problems: string[] = [];
      if (stopped.code !== 0) problems.push(`kafka-local stop exited ${stopped.code}: ${stopped.output}`);
      if (pid !== null && isAlive(pid)) problems.push(`pid ${pid} is alive`);
      killAtExit();
      process.off('exit', killAtExit);
      await rm(dir, { recursive: true, force: true });
      if (problems.length > 0) throw new Error(`the secured broker was not stopped cleanly (then killed): ${problems.join('; ')}`);
    },
  };
}

/** `count` distinct free ports: all listened on at once, so none is handed out twice. */
async function freePorts(count: number): Promise<number[]> {
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

function readPid(pidFile: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
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
