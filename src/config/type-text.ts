/** A field's type in words, from its zod schema: `integer >= 1`, `number in [0, 1)`, `'sgd' | 'adam'`, `string[]`. */
import { z } from 'zod';
import type { ZodTypeAny } from 'zod';
import { unwrap } from './fields.js';

export function typeText(schema: ZodTypeAny): string {
  const inner = unwrap(schema).schema;
  if (inner instanceof z.ZodNumber) return numberText(inner);
  if (inner instanceof z.ZodString) return 'string';
  if (inner instanceof z.ZodBoolean) return 'boolean';
  if (inner instanceof z.ZodEnum) return (inner.options as string[]).map((o) => `'${o}'`).join(' | ');
  if (inner instanceof z.ZodLiteral) return `'${String(inner.value)}'`;
  if (inner instanceof z.ZodArray) {
    const element = typeText(inner.element as ZodTypeAny);
    return /^[a-z]+$/.test(element) ? `${element}[]` : `list of (${element})`;
  }
  if (inner instanceof z.ZodTuple) return `[${(inner.items as ZodTypeAny[]).map(typeText).join(', ')}]`;
  if (inner instanceof z.ZodUnion) return (inner.options as ZodTypeAny[]).map(typeText).join(' or ');
  return 'value';
}

function numberText(schema: z.ZodNumber): string {
  let min: { value: number; inclusive: boolean } | null = null;
  let max: { value: number; inclusive: boolean } | null = null;
  let integer = false;
  for (const check of schema._def.checks) {
    if (check.kind === 'int') integer = true;
    else if (check.kind === 'min') min = { value: check.value, inclusive: check.inclusive };
    else if (check.kind === 'max') max = { value: check.value, inclusive: check.inclusive };
  }
  const base = integer ? 'integer' : 'number';
  if (min !== null && max !== null) {
    return `${base} in ${min.inclusive ? '[' : '('}${min.value}, ${max.value}${max.inclusive ? ']' : ')'}`;
  }
  if (min !== null) return `${base} ${min.inclusive ? '>=' : '>'} ${min.value}`;
  if (max !== null) return `${base} ${max.inclusive ? '<=' : '<'} ${max.value}`;
  return base;
}
