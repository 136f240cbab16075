/**
 * A copy of a configuration that is safe to show: the value of every key that names a secret (SASL and
 * TLS passwords, tokens, keys) is replaced, at any depth. Keys are matched by name because a secret's
 * value cannot be recognized by looking at it.
 */
const SECRET_KEY = /pass(word|wd|phrase)?$|secret|token|credential|api_?key|private_?key|^key$|^cert$/i;

export const REDACTED = '[redacted]';

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  // fromEntries defines properties, so even a "__proto__" key stays an ordinary key of the copy.
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) && inner !== undefined && inner !== null ? REDACTED : redactSecrets(inner)]),
  );
}
