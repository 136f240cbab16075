/**
 * Untrusted bytes to a JSON value, in the order that keeps a hostile record cheap to refuse:
 *   1. size, on the raw bytes, before any decoding (a 1 GB message costs nothing);
 *   2. UTF-8 validity (TextDecoder fatal: no silent U+FFFD substitution);
 *   3. nesting depth, on the text, before JSON.parse builds anything;
 *   4. JSON.parse, then a walk that refuses `__proto__` / `constructor` / `prototype` keys anywhere.
 * JSON.parse itself is safe with a `__proto__` key (it defines an own property), but any later spread or
 * merge of the value would not be; refusing such records outright keeps every consumer safe.
 * Nothing here throws: every failure is a reason code and a message.
 */
import { PROTOTYPE_KEYS } from './record-schema.js';
import type { RejectReason } from './sample.js';

export interface JsonLimits {
  /** Largest accepted record, in UTF-8 bytes. */
  readonly maxRecordBytes: number;
  /** Deepest accepted nesting of arrays and objects (the record object itself is depth 1). */
  readonly maxDepth: number;
}

export type JsonResult =
  | { readonly ok: true; readonly value: unknown; readonly text: string }
  | { readonly ok: false; readonly reason: RejectReason; readonly message: string; readonly text: string | null };

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Lone surrogates: what a JS string holds when it did not come from valid UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Python's json.dumps writes NaN / Infinity / -Infinity bare by default; say so instead of just "not JSON".
const BARE_NON_FINITE = /(?:^|[[:,\s])-?(?:NaN|Infinity)\s*(?:[,\]}]|$)/;

export function parseJsonRecord(value: Buffer | Uint8Array | string | null, limits: JsonLimits): JsonResult {
  if (value === null) return fail('empty', 'the record has no value (a tombstone?)', null);
  let text: string;
  if (typeof value === 'string') {
    // A string has at least one UTF-8 byte per UTF-16 unit: a cheap lower bound before the exact count.
    if (value.length > limits.maxRecordBytes || Buffer.byteLength(value, 'utf8') > limits.maxRecordBytes) {
      return fail('oversize', `${Buffer.byteLength(value, 'utf8')} bytes exceeds maxRecordBytes ${limits.maxRecordBytes}`, value);
    }
    if (LONE_SURROGATE.test(value)) return fail('invalid_utf8', 'the text has a lone surrogate (not valid Unicode)', value);
    text = value;
  } else {
    if (value.byteLength > limits.maxRecordBytes) {
      return fail('oversize', `${value.byteLength} bytes exceeds maxRecordBytes ${limits.maxRecordBytes}`, lossy(value, limits));
    }
    try {
      text = utf8.decode(value);
    } catch {
      return fail('invalid_utf8', `the ${value.byteLength} bytes are not valid UTF-8`, lossy(value, limits));
    }
  }
  if (text.trim().length === 0) return fail('empty', 'the record is blank', text);
  if (openersExceed(text, limits.maxDepth) && nestingDepth(text, limits.maxDepth) > limits.maxDepth) {
    return fail('too_deep', `nesting deeper than maxDepth ${limits.maxDepth}`, text);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const hint = BARE_NON_FINITE.test(text) ? ' (bare NaN / Infinity is not JSON: write finite numbers)' : '';
    return fail('not_json', `${(err as Error).message}${hint}`, text);
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const keyPath = findPrototypeKey(parsed);
    if (keyPath !== null) return fail('prototype_key', `${describeKeyPath(keyPath)} is not allowed`, text);
  }
  return { ok: true, value: parsed, text };
}

function fail(reason: RejectReason, message: string, text: string | null): JsonResult {
  return { ok: false, reason, message, text };
}

/** A readable preview of bytes that may be invalid or cut mid-character (U+FFFD where they are). */
function lossy(bytes: Uint8Array, limits: JsonLimits): string {
  const previewBytes = Math.min(bytes.byteLength, 4096, limits.maxRecordBytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, previewBytes).toString('utf8');
}

/**
 * Depth cannot exceed the number of '[' and '{': counting them with native indexOf is ~20x cheaper than
 * the character loop below, which therefore runs only for records with many brackets.
 */
function openersExceed(text: string, limit: number): boolean {
  let n = 0;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++n > limit) return true;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++n > limit) return true;
  return false;
}

/**
 * Bracket depth outside string literals, stopping as soon as it passes `limit`. On invalid JSON the
 * count is meaningless but harmless: JSON.parse refuses the text next.
 */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next unit is escaped, even a quote
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return max;
}

/**
 * Depth-first; depth is already bounded by nestingDepth, so recursion is safe. Returns the path to the
 * offending key (the key last), built only on the way back from a hit: the common case allocates nothing.
 */
function findPrototypeKey(value: unknown): Array<string | number> | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' || item === null) continue;
      const found = findPrototypeKey(item);
      if (found !== null) {
        found.unshift(i);
        return found;
      }
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (PROTOTYPE_KEYS.has(key)) return [key];
    const child = record[key];
    if (typeof child !== 'object' || child === null) continue;
    const found = findPrototypeKey(child);
    if (found !== null) {
      found.unshift(key);
      return found;
    }
  }
  return null;
}

/** ['meta', 'a', 0, 'b', 'constructor'] -> "the key 'constructor' at meta.a[0].b". */
function describeKeyPath(path: ReadonlyArray<string | number>): string {
  let at = '';
  for (let i = 0; i < path.length - 1; i++) {
    const part = path[i];
    at += typeof part === 'number' ? `[${part}]` : at === '' ? part : `.${part}`;
  }
  return `the key '${String(path[path.length - 1])}' at ${at === '' ? 'the record' : at}`;
}
