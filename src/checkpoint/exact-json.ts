/**
 * JSON text that round-trips every double exactly. JSON numbers already do for finite values (the
 * shortest representation that parses back to the same double), but JSON has no NaN or Infinity and
 * writes -0 as 0. A checkpoint meets all three: `maxWaitMs: Infinity` in the config, a NaN last loss
 * before the first step, a -0 label. Those are written as `{"$number": "NaN" | "Infinity" | "-Infinity" |
 * "-0"}` and read back; every other value is plain JSON.
 */
const TAG = '$number';
const SPECIAL: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY, '-0': -0 };

export function stringifyExact(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'number') return v;
    if (Object.is(v, -0)) return { [TAG]: '-0' };
    return Number.isFinite(v) ? v : { [TAG]: String(v) };
  });
}

/** Throws SyntaxError on text that is not JSON. */
export function parseExact(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    if (keys.length !== 1 || keys[0] !== TAG) return v;
    const tag = (v as Record<string, unknown>)[TAG];
    return typeof tag === 'string' && Object.hasOwn(SPECIAL, tag) ? SPECIAL[tag] : v;
  });
}

/** JSON with object keys sorted at every level: the same value always gives the same text (hashing). */
export function canonicalJson(value: unknown): string {
  return stringifyExact(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}
