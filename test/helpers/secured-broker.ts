/**
 * A throw-away broker with secured listeners, from scripts/kafka-local: SASL_PLAINTEXT (PLAIN), SSL and
 * SASL_SSL beside the PLAINTEXT one, and an SSL listener that requires a client certificate (MTLS), on free ports, with its own data dir and TLS material (a CA made by
 * keytool for this broker only) in one temporary directory. Separate from the integration project's
 * global broker, which stays plaintext. stop() proves nothing is left and deletes the directory.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, launchKafkaLocal } from '../setup/kafka-local-broker.js';

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
  /** The SSL listener that requires a client certificate (ssl.client.auth=required). */
  readonly mtls: string;
  /** PEM of the CA that signed the broker's certificate (for NODE_EXTRA_CA_CERTS). */
  readonly caFile: string;
  /** PEM client certificate signed by that CA, and its unencrypted key: what the MTLS listener accepts. */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** Stops the broker (SIGKILL if it survives), checks nothing is left, deletes the directory. */
  stop(): Promise<void>;
}

export async function startSecuredBroker({ users }: SecuredBrokerOptions): Promise<SecuredBroker> {
  const [port, controllerPort, saslPort, sslPort, saslSslPort, mtlsPort] = await freePorts(6);
  const dir = await mkdtemp(join(tmpdir(), 'online-learner-kafka-secured-'));
  const dataDir = join(dir, 'data');
  const sslDir = join(dir, 'tls');
  const env = {
    KAFKA_LOCAL_PORT: String(port),
    KAFKA_LOCAL_CONTROLLER_PORT: String(controllerPort),
    KAFKA_LOCAL_SASL_PORT: String(saslPort),
    KAFKA_LOCAL_SSL_PORT: String(sslPort),
    KAFKA_LOCAL_SASL_SSL_PORT: String(saslSslPort),
    KAFKA_LOCAL_MTLS_PORT: String(mtlsPort),
    KAFKA_LOCAL_DATA_DIR: dataDir,
    KAFKA_LOCAL_SSL_DIR: sslDir,
    // Through the environment, so that the passwords stay out of the process list.
    KAFKA_LOCAL_SASL_PLAIN_USERS: Object.entries(users)
      .map(([user, password]) => `${user}:${password}`)
      .join(','),
  };
  const stop = await launchKafkaLocal({ env, dir, ports: [port, controllerPort, saslPort, sslPort, saslSslPort, mtlsPort], label: 'the secured broker' });
  return {
    plaintext: `${HOST}:${port}`,
    saslPlaintext: `${HOST}:${saslPort}`,
    ssl: `${HOST}:${sslPort}`,
    saslSsl: `${HOST}:${saslSslPort}`,
    mtls: `${HOST}:${mtlsPort}`,
    caFile: join(sslDir, 'ca.pem'),
    clientCertFile: join(sslDir, 'client.pem'),
    clientKeyFile: join(sslDir, 'client.key'),
    stop,
  };
}
