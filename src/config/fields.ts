/**
 * The config schema as a flat list of fields (`optimizer.lr`, `source.brokers`, ...), read from the zod
 * schema itself so that env-var names, flag coercion and the Markdown reference can never drift from it.
 * Discriminated unions (source, loss, optimizer, schedule) contribute the union of their variants' fields,
 * each noting the variants it belongs to and its default in each.
 */
import { z } from 'zod';
import type { ZodTypeAny } from 'zod';

/** One appearance of a field: in one variant of a union (or outside any, variant null). */
export interface FieldOccurrence {
  readonly variant: string | null;
  /** The default in this variant, if it has one. */
  readonly defaultValue: { readonly value: unknown } | null;
  /** Whether it may be omitted in this variant (it has a default or is optional). */
  readonly optional: boolean;
  /** The nearest enclosing section that may be omitted as a whole (e.g. `source.sasl`): required only within it. */
  readonly within: string | null;
}

export interface ConfigField {
  readonly path: readonly string[];
  /** The field's schema without its default / optional / refinement wrappers (the first variant's). */
  readonly schema: ZodTypeAny;
  readonly description: string;
  readonly occurrences: readonly FieldOccurrence[];
}

interface Unwrapped {
  readonly schema: ZodTypeAny;
  readonly description: string;
  readonly defaultValue: { value: unknown } | null;
  readonly optional: boolean;
}

/** Peels ZodDefault / ZodOptional / ZodNullable / ZodEffects, keeping the first description met. */
export function unwrap(schema: ZodTypeAny): Unwrapped {
  let current = schema;
  let description = '';
  let defaultValue: { value: unknown } | null = null;
  let optional = false;
  for (;;) {
    description ||= current.description ?? '';
    if (current instanceof z.ZodDefault) {
      defaultValue ??= { value: (current._def as { defaultValue: () => unknown }).defaultValue() };
      optional = true;
      current = current._def.innerType as ZodTypeAny;
    } else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      optional = true;
      current = current.unwrap() as ZodTypeAny;
    } else if (current instanceof z.ZodEffects) {
      current = current.innerType() as ZodTypeAny;
    } else {
      return { schema: current, description, defaultValue, optional };
    }
  }
}

export function listFields(root: ZodTypeAny): ConfigField[] {
  const fields = new Map<string, ConfigField>();
  walk(root, [], null, fields);
  return [...fields.values()];
}

/** Paths of the discriminated-union sections, e.g. ['optimizer'], with their discriminator key. */
export function unionSections(root: ZodTypeAny): Map<string, string> {
  const unions = new Map<string, string>();
  const visit = (schema: ZodTypeAny, path: string[]): void => {
    const inner = unwrap(schema).schema;
    if (inner instanceof z.ZodDiscriminatedUnion) {
      unions.set(path.join('.'), inner.discriminator as string);
      for (const option of inner.options as z.ZodObject<z.ZodRawShape>[]) visitShape(option, path);
    } else if (inner instanceof z.ZodObject) {
      visitShape(inner, path);
    }
  };
  const visitShape = (object: z.ZodObject<z.ZodRawShape>, path: string[]): void => {
    for (const [key, child] of Object.entries(object.shape)) visit(child as ZodTypeAny, [...path, key]);
  };
  visit(root, []);
  return unions;
}

function walk(
  schema: ZodTypeAny,
  path: string[],
  variant: string | null,
  fields: Map<string, ConfigField>,
  outerWithin: string | null = null,
): void {
  const unwrapped = unwrap(schema);
  const inner = unwrapped.schema;
  const within = unwrapped.optional && unwrapped.defaultValue === null && path.length > 0 ? path.join('.') : outerWithin;
  if (inner instanceof z.ZodObject) {
    for (const [key, child] of Object.entries(inner.shape as z.ZodRawShape)) walk(child as ZodTypeAny, [...path, key], variant, fields, within);
    return;
  }
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const key = inner.discriminator as string;
    const options = inner.options as z.ZodObject<z.ZodRawShape>[];
    const values = options.map((option) => (unwrap(option.shape[key] as ZodTypeAny).schema as z.ZodLiteral<string>).value);
    // The discriminator is one field whose values are the variants; its default is the section's.
    const sectionDefault = unwrapped.defaultValue?.value as Record<string, unknown> | undefined;
    fields.set([...path, key].join('.'), {
      path: [...path, key],
      schema: z.enum(values as [string, ...string[]]),
      description: unwrap(options[0].shape[key] as ZodTypeAny).description,
      occurrences: [
        {
          variant,
          defaultValue: sectionDefault === undefined ? null : { value: sectionDefault[key] },
          optional: sectionDefault !== undefined,
          within,
        },
      ],
    });
    options.forEach((option, i) => {
      for (const [name, child] of Object.entries(option.shape)) {
        if (name !== key) walk(child as ZodTypeAny, [...path, name], values[i], fields, within);
      }
    });
    return;
  }
  const id = path.join('.');
  const occurrence: FieldOccurrence = {
    variant,
    defaultValue: unwrapped.defaultValue,
    optional: unwrapped.optional,
    // A leaf that is itself optional is not "within" itself.
    within: outerWithin,
  };
  const existing = fields.get(id);
  fields.set(
    id,
    existing === undefined
      ? { path, schema: inner, description: unwrapped.description, occurrences: [occurrence] }
      : {
          ...existing,
          description: existing.description || unwrapped.description,
          occurrences: [...existing.occurrences, occurrence],
        },
  );
}
