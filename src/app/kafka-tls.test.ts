import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/load.js';
import type { SourceConfig } from '../config/sections/source.js';
import { ConfigError } from '../errors.js';
import { kafkaTlsOf } from './kafka-tls.js';

const dir = mkdtempSync(join(tmpdir(), 'ol-kafka-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Not real keys: the module checks for a PEM block of the right kind, the TLS library checks the rest.
const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEkey\n-----END RSA PRIVATE KEY-----\n';
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

function kafkaSource(flags: Record<string, string>): Extract<SourceConfig, { type: 'kafka' }> {
  const source = resolveConfig({ flags: { 'source.type': 'kafka', 'source.brokers': 'localhost:9092', 'source.topic': 't', ...flags } }).source;
  if (source.type !== 'kafka') throw new Error('expected a kafka source');
  return source;
}

describe('source.ssl / source.tls to the Kafka client', () => {
  it('passes source.ssl through when no TLS files are given', () => {
    expect(kafkaTlsOf(kafkaSource({}))).toBe(false);
    expect(kafkaTlsOf(kafkaSource({ 'source.ssl': 'true' }))).toBe(true);
  });

  it("reads the files' PEM text for the client (a CA, a client certificate and its key)", () => {
    const ca = write('ca.pem', CA);
    const cert = write('client.pem', CA);
    const key = write('client.key', KEY);
    const tls = kafkaTlsOf(kafkaSource({ 'source.tls.caFile': ca, 'source.tls.certFile': cert, 'source.tls.keyFile': key }));
    expect(tls).toEqual({ ca: CA, cert: CA, key: KEY });
  });

  it('refuses an unreadable file, naming the field and the path', () => {
    const missing = join(dir, 'nope.pem');
    expect(() => kafkaTlsOf(kafkaSource({ 'source.tls.caFile': missing }))).toThrow(ConfigError);
    expect(() => kafkaTlsOf(kafkaSource({ 'source.tls.caFile': missing }))).toThrow(`source.tls.caFile: cannot read ${missing}: ENOENT`);
  });

  it('refuses a file without a PEM block of the expected kind', () => {
    const notPem = write('ca.der', 'binary junk');
    expect(() => kafkaTlsOf(kafkaSource({ 'source.tls.caFile': notPem }))).toThrow(/source\.tls\.caFile: .*ca\.der holds no PEM certificate/);
    const cert = write('only-cert.pem', CA);
    // A certificate given where the key belongs.
    expect(() => kafkaTlsOf(kafkaSource({ 'source.tls.certFile': cert, 'source.tls.keyFile': cert }))).toThrow(/source\.tls\.keyFile: .* holds no PEM private key/);
  });

  it('refuses a client certificate without its key when the config is read', () => {
    expect(() => kafkaSource({ 'source.tls.certFile': write('c.pem', CA) })).toThrow(/source\.tls.*certFile and keyFile go together/);
  });
});
