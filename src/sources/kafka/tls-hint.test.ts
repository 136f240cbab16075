import { describe, expect, it } from 'vitest';
import { tlsHintOf } from './tls-hint.js';

// Verbatim from runs against scripts/kafka-local's listeners (test/integration/kafka-secured.test.ts).
const NO_CLIENT_CERTIFICATE =
  'Connection error: 808C0C6CC17F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 42';
const UNTRUSTED_BROKER = 'Connection error: self-signed certificate in certificate chain';

describe('tlsHintOf', () => {
  it('points a certificate alert from the broker at source.tls.certFile and keyFile', () => {
    expect(tlsHintOf(NO_CLIENT_CERTIFICATE)).toMatch(/requires mutual TLS.*source\.tls\.certFile and source\.tls\.keyFile/);
    // TLS 1.3's own alert for a missing certificate, and a certificate from a CA the broker does not know.
    expect(tlsHintOf('SSL routines::tlsv13 alert certificate required:SSL alert number 116')).toMatch(/mutual TLS/);
    expect(tlsHintOf('SSL routines::tlsv1 alert unknown ca:SSL alert number 48')).toMatch(/mutual TLS/);
  });

  it("points Node's refusal of the broker's certificate at source.tls.caFile", () => {
    expect(tlsHintOf(UNTRUSTED_BROKER)).toMatch(/source\.tls\.caFile.*NODE_EXTRA_CA_CERTS/);
    expect(tlsHintOf('Connection error: unable to get local issuer certificate')).toMatch(/source\.tls\.caFile/);
  });

  it('tells an expired broker certificate apart from an untrusted one', () => {
    expect(tlsHintOf('Connection error: certificate has expired')).toMatch(/has expired: the broker needs a renewed certificate/);
    expect(tlsHintOf('Connection error: certificate has expired')).not.toMatch(/caFile/);
  });

  it('names the address for a certificate of other host names', () => {
    expect(tlsHintOf("Hostname/IP does not match certificate's altnames: IP: 10.0.0.1 is not in the cert's list")).toMatch(/source\.brokers/);
  });

  it('says nothing about errors that are not TLS ones', () => {
    expect(tlsHintOf('Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBeNull();
    expect(tlsHintOf('broker says UNKNOWN_TOPIC_OR_PARTITION')).toBeNull();
  });
});
