/**
 * Environment variables and command-line flags arrive as strings; each is turned into the type its field
 * declares: numbers, booleans (true/false/1/0/yes/no), lists (comma-separated, or a JSON array).
 * A string that does not fit is left as it is, so validation reports it with the field's rule.
 */
import { z } from 'zod';
import type { ZodTypeAny } from 'zod';
import { unwrap } from './fields.js';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

export function coerce(raw: unknown, schema: ZodTypeAny): unknown {
  if (typeof raw !== 'string') return raw;
  const text = raw.trim();
  if (schema instanceof z.ZodNumber) return NUMBER.test(text) ? Number(text) : raw;
  if (schema instanceof z.ZodBoolean) {
    const lower = text.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
    return raw;
  }
  if (schema instanceof z.ZodArray) {
    const element = unwrap(schema.element as ZodTypeAny).schema;
    return list(text).map((item) => coerce(item, element));
  }
  if (schema instanceof z.ZodTuple) {
    const items = (schema.items as ZodTypeAny[]).map((item) => unwrap(item).schema);
    return list(text).map((item, i) => coerce(item, items[Math.min(i, items.length - 1)]));
  }
  if (schema instanceof z.ZodUnion) {
    const options = (schema.options as ZodTypeAny[]).map((option) => unwrap(option).schema);
    const numeric = options.find((option) => option instanceof z.ZodNumber);
    if (numeric !== undefined && NUMBER.test(text)) return Number(text);
    const listed = options.find((option) => option instanceof z.ZodArray);
    if (listed !== undefined) return coerce(raw, listed);
  }
  return raw;
}

function list(text: string): unknown[] {
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // Not JSON after all: read it as a comma-separated list below.
    }
  }
  if (text === '') return [];
  return text.split(',').map((item) => item.trim());
}
