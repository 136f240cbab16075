/**
 * Zod issues rewritten as one line each that names the field, the value and the rule, says where the
 * value came from, and adds a hint when one helps:
 *
 *   optimizer.lr: -0.1 is invalid: must be >= 0 (from ONLINE_LEARNER_OPTIMIZER_LR)
 *   optimizer.momentm: unknown field for sgd (from learner.yaml)
 *     hint: did you mean "momentum"? fields of sgd: type, lr, momentum, ...
 *
 * Values of secret fields (passwords, tokens) are never shown.
 */
import { z } from 'zod';
import type { ZodIssue } from 'zod';
import type { ConfigField } from './fields.js';
import { getPath } from './layers.js';
import { closest, envNameOf, flagNameOf, formatPath } from './names.js';
import { typeText } from './type-text.js';

/** Custom issues whose message already states the value and the rule carry this param. */
export const COMPLETE_MESSAGE = { complete: true } as const;

const SECRET = /password|secret|token/i;

export interface IssueContext {
  readonly input: unknown;
  readonly provenance: ReadonlyMap<string, string>;
  readonly fields: readonly ConfigField[];
}

export function formatIssues(issues: readonly ZodIssue[], context: IssueContext): string {
  return issues.flatMap((issue) => formatIssue(issue, context)).join('\n');
}

function formatIssue(issue: ZodIssue, context: IssueContext): string[] {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return issue.keys.map((key) => unknownKey([...issue.path, key], context));
  }
  const path = formatPath(issue.path);
  const value = getPath(context.input, issue.path);
  const shown = SECRET.test(path) ? '<redacted>' : show(value);
  const field = fieldAt(issue.path, context.fields);
  let body: string;
  let hint: string | null = null;
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (value === undefined) {
        body = `missing: required${variantNote(issue.path, context)}`;
        hint = `set it in the config file, with ${envNameOf(stringPath(issue.path))} or with ${flagNameOf(stringPath(issue.path))}`;
      } else {
        body = `${shown} is invalid: expected ${field === null ? issue.expected : typeText(field.schema)}`;
      }
      break;
    case z.ZodIssueCode.too_small:
      body = `${shown} is invalid: ${issue.type === 'array' ? `must have at least ${issue.minimum} item(s)` : issue.type === 'string' ? 'must not be empty' : `must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`}`;
      break;
    case z.ZodIssueCode.too_big:
      body = `${shown} is invalid: ${issue.type === 'array' ? `must have at most ${issue.maximum} item(s)` : `must be ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`}`;
      break;
    case z.ZodIssueCode.not_finite:
      body = `${shown} is invalid: must be a finite number`;
      break;
    case z.ZodIssueCode.invalid_enum_value:
    case z.ZodIssueCode.invalid_union_discriminator: {
      const options = (issue.options as ReadonlyArray<string | number | boolean | null | undefined | symbol | bigint>).map(String);
      body = `${value === undefined ? 'missing' : `${shown} is invalid`}: must be one of ${options.join(', ')}`;
      const suggestion = typeof value === 'string' ? closest(value, options) : null;
      if (suggestion !== null) hint = `did you mean "${suggestion}"?`;
      break;
    }
    case z.ZodIssueCode.invalid_union:
      body = `${shown} is invalid: expected ${field === null ? 'another form' : typeText(field.schema)}`;
      break;
    case z.ZodIssueCode.custom:
      body = issue.params?.complete === true ? issue.message : `${shown} is invalid: ${issue.message}`;
      break;
    default:
      body = `${shown} is invalid: ${issue.message}`;
  }
  return [withOrigin(`${path}: ${body}`, issue.path, context) + (hint === null ? '' : `\n  hint: ${hint}`)];
}

function unknownKey(path: ReadonlyArray<string | number>, context: IssueContext): string {
  const parent = stringPath(path.slice(0, -1));
  const key = String(path[path.length - 1]);
  const variant = variantOf(path.slice(0, -1), context);
  const names = context.fields
    .filter((f) => f.path.length > parent.length && parent.every((p, i) => f.path[i] === p))
    .filter((f) => variant === null || f.occurrences.some((o) => o.variant === null || o.variant === variant))
    .map((f) => f.path[parent.length]);
  const siblings = [...new Set(names)];
  const owner = variant === null ? (parent.length === 0 ? 'the config' : parent.join('.')) : variant;
  const suggestion = closest(key, siblings);
  const hint = `${suggestion === null ? '' : `did you mean "${suggestion}"? `}fields of ${owner}: ${siblings.join(', ')}`;
  return `${withOrigin(`${formatPath(path)}: unknown field${variant === null ? '' : ` for ${variant}`}`, path, context)}\n  hint: ${hint}`;
}

/** The discriminator value of the union section at `path`, if it is one. */
function variantOf(path: ReadonlyArray<string | number>, context: IssueContext): string | null {
  const section = getPath(context.input, path);
  const type = typeof section === 'object' && section !== null ? (section as Record<string, unknown>).type : undefined;
  const isUnion = context.fields.some((f) => f.path.length === path.length + 1 && f.occurrences.some((o) => o.variant !== null));
  return isUnion && typeof type === 'string' ? type : null;
}

function variantNote(path: ReadonlyArray<string | number>, context: IssueContext): string {
  const variant = variantOf(path.slice(0, -1), context);
  return variant === null ? '' : ` for ${variant}`;
}

/** Where the value came from: set at this path or above it, else (a whole section) by whatever set a field inside it. */
function withOrigin(line: string, path: ReadonlyArray<string | number>, context: IssueContext): string {
  const id = stringPath(path);
  for (let n = id.length; n > 0; n--) {
    const origin = context.provenance.get(id.slice(0, n).join('.'));
    if (origin !== undefined) return `${line} (from ${origin})`;
  }
  const prefix = `${id.join('.')}.`;
  for (const [key, origin] of context.provenance) if (key.startsWith(prefix)) return `${line} (from ${origin})`;
  return line;
}

function fieldAt(path: ReadonlyArray<string | number>, fields: readonly ConfigField[]): ConfigField | null {
  const id = stringPath(path).join('.');
  return fields.find((f) => f.path.join('.') === id) ?? null;
}

/** Drops array indices: `betas[1]` belongs to the field `betas`. */
function stringPath(path: ReadonlyArray<string | number>): string[] {
  return path.filter((p): p is string => typeof p === 'string');
}

function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
