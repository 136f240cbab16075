/**
 * `source.ssl` / `source.tls` to what the Kafka client takes: false, true (system CAs), or the PEM
 * contents of the configured files. Files are read here, when the client is made, so that an unreadable
 * one fails the run at start with the field that names it, before any connection is tried (a TLS error
 * from kafkajs would only come after its retries, and would not say which file).
 */
import { readFileSync } from 'node:fs';
import type { SourceConfig } from '../config/sections/source.js';
import { ConfigError } from '../errors.js';
import type { KafkaTlsMaterial } from '../sources/kafka/client.js';

type KafkaSourceConfig = Extract<SourceConfig, { type: 'kafka' }>;

export function kafkaTlsOf(source: KafkaSourceConfig): boolean | KafkaTlsMaterial {
  const tls = source.tls;
  if (tls === undefined) return source.ssl;
  return {
    ...(tls.caFile === undefined ? {} : { ca: pem('source.tls.caFile', tls.caFile, 'CERTIFICATE') }),
    ...(tls.certFile === undefined ? {} : { cert: pem('source.tls.certFile', tls.certFile, 'CERTIFICATE') }),
    ...(tls.keyFile === undefined ? {} : { key: pem('source.tls.keyFile', tls.keyFile, 'PRIVATE KEY') }),
  };
}

/** The file's text, which must hold a PEM block of this kind (`-----BEGIN ...<kind>-----`). */
function pem(field: string, path: string, kind: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${field}: cannot read ${path}: ${(error as Error).message}`);
  }
  // "PRIVATE KEY" also matches "RSA PRIVATE KEY" and "EC PRIVATE KEY".
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(text)) {
    throw new ConfigError(`${field}: ${path} holds no PEM ${kind.toLowerCase()} (expected a "-----BEGIN ...${kind}-----" block)`);
  }
  return text;
}
