/**
 * What to do about a TLS failure, from the OpenSSL or Node wording kafkajs passes on. A TLS error
 * reaches the user as a line like "Connection error: ...:SSL routines:ssl3_read_bytes:sslv3 alert bad
 * certificate:...:SSL alert number 42", which names the alert but not the setting that fixes it.
 *
 * Two sides can refuse. The broker refuses the client (it sends an alert): its listener requires a
 * client certificate (ssl.client.auth=required) and none came, or one came that its truststore does not
 * accept. The client refuses the broker (Node's own verification): the broker's certificate chains to
 * a CA that Node does not trust, or names another host.
 */

/** Alerts a broker sends when it refuses the client's certificate, or its absence (RFC 8446 §6.2). */
const BROKER_REFUSED_CLIENT = /alert (bad certificate|certificate required|unknown ca|unsupported certificate|certificate expired|certificate revoked|certificate unknown|access denied)/i;

/** Node's messages when it cannot verify the broker's certificate against the trusted CAs. */
const CLIENT_DISTRUSTS_BROKER =
  /self[- ]signed certificate|unable to (get local issuer certificate|verify the first certificate)|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT/i;

/** Node's message when the broker's certificate (or one in its chain) is past its validity. */
const BROKER_CERTIFICATE_EXPIRED = /certificate has expired|CERT_HAS_EXPIRED/i;

/** Node's message when the broker's certificate is for other names than the address dialled. */
const WRONG_HOST = /Hostname\/IP does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID/i;

/** A one-line hint for a TLS failure in `message`, or null when it is not one we can explain. */
export function tlsHintOf(message: string): string | null {
  if (BROKER_REFUSED_CLIENT.test(message)) {
    return (
      'the broker refused this client\'s TLS certificate, or its absence: its listener requires mutual TLS. ' +
      'Give a client certificate signed by a CA the broker trusts, with source.tls.certFile and source.tls.keyFile'
    );
  }
  if (CLIENT_DISTRUSTS_BROKER.test(message)) {
    return (
      "the broker's TLS certificate is not signed by a CA this process trusts. " +
      'Give the CA that signed it with source.tls.caFile (a PEM file), or in NODE_EXTRA_CA_CERTS'
    );
  }
  if (BROKER_CERTIFICATE_EXPIRED.test(message)) {
    return "the broker's TLS certificate (or one in its chain) has expired: the broker needs a renewed certificate";
  }
  if (WRONG_HOST.test(message)) {
    return "the broker's TLS certificate is for other host names than the address in source.brokers: dial a name the certificate lists";
  }
  return null;
}
