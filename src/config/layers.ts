/**
 * Configuration layers and how they combine: defaults < YAML file < environment < flags. Each layer is a
 * partial config object; later layers win field by field. Each set field remembers where it came from,
 * so an error can say "(from ONLINE_LEARNER_OPTIMIZER_LR)".
 *
 * One exception to field-by-field merging: when a layer changes the `type` of a union section (source,
 * loss, optimizer, schedule), that section is replaced, not merged; adam's betas must not leak into sgd.
 */
import { ConfigError } from '../errors.js';
import { PROTOTYPE_KEYS } from '../pipeline/record-schema.js';
import { coerce } from './coerce.js';
import type { ConfigField } from './fields.js';
import { CONFIG_FILE_ENV, ENV_PREFIX, closest, envNameOf, flagNameOf } from './names.js';

export type PlainObject = Record<string, unknown>;

export interface Layer {
  readonly values: PlainObject;
  /** Dotted path of each field the layer sets -> where it came from. */
  readonly provenance: ReadonlyMap<string, string>;
}

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A parsed YAML document as a layer; its keys are checked when merged. A key without a value
 * (`loss:` alone, YAML null) means "not set": no field accepts null.
 */
export function fileLayer(document: PlainObject, label: string): Layer {
  const provenance = new Map<string, string>();
  const visit = (value: unknown, path: string[]): unknown => {
    if (!isPlainObject(value) || Object.keys(value).length === 0) {
      provenance.set(path.join('.'), label);
      return value;
    }
    const out: PlainObject = {};
    for (const key of Object.keys(value)) {
      // Checked before the assignment: `out['__proto__'] = x` would replace out's prototype.
      if (PROTOTYPE_KEYS.has(key)) throw new ConfigError(`${[...path, key].join('.')}: '${key}' is not allowed as a key`);
      if (value[key] !== null) out[key] = visit(value[key], [...path, key]);
    }
    return out;
  };
  return { values: visit(document, []) as PlainObject, provenance };
}

/** ONLINE_LEARNER_* variables as a layer. Unknown ones are errors: a typo must not be ignored silently. */
export function envLayer(env: Readonly<Record<string, string | undefined>>, fields: readonly ConfigField[]): Layer {
  const byName = new Map(fields.map((field) => [envNameOf(field.path), field]));
  const values: PlainObject = {};
  const provenance = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || name === CONFIG_FILE_ENV || raw === undefined) continue;
    const field = byName.get(name);
    if (field === undefined) {
      const suggestion = closest(name, byName.keys());
      throw new ConfigError(`${name} is not a setting${suggestion === null ? '' : `; did you mean ${suggestion}?`}`);
    }
    setPath(values, field.path, coerce(raw, field.schema));
    provenance.set(field.path.join('.'), name);
  }
  return { values, provenance };
}

/**
 * Flags as a layer: keys are dotted field paths (`optimizer.lr`), values strings (coerced) or already
 * typed values; a section path with an object value sets several fields at once.
 */
export function flagLayer(flags: Readonly<Record<string, unknown>>, fields: readonly ConfigField[]): Layer {
  const byPath = new Map(fields.map((field) => [field.path.join('.'), field]));
  const values: PlainObject = {};
  const provenance = new Map<string, string>();
  const set = (key: string, value: unknown): void => {
    const field = byPath.get(key);
    if (field !== undefined) {
      setPath(values, field.path, coerce(value, field.schema));
      provenance.set(key, flagNameOf(field.path));
      return;
    }
    if (isPlainObject(value) && [...byPath.keys()].some((path) => path.startsWith(`${key}.`))) {
      for (const inner of Object.keys(value)) set(`${key}.${inner}`, value[inner]);
      return;
    }
    const suggestion = closest(key, byPath.keys());
    throw new ConfigError(`--${key} is not a setting${suggestion === null ? '' : `; did you mean --${suggestion}?`}`);
  };
  for (const key of Object.keys(flags)) set(key, flags[key]);
  return { values, provenance };
}

/**
 * Merges layers in order (later wins). `unions` maps union-section paths to their discriminator key;
 * `unionDefaults` gives the discriminator a section takes when a layer sets fields but no type
 * (`optimizer.lr` alone tunes the default optimizer).
 */
export function mergeLayers(
  layers: readonly Layer[],
  unions: ReadonlyMap<string, string>,
  unionDefaults: ReadonlyMap<string, string>,
): { values: PlainObject; provenance: Map<string, string> } {
  let values: PlainObject = {};
  const provenance = new Map<string, string>();
  for (const layer of layers) {
    values = merge(values, layer.values, [], unions) as PlainObject;
    for (const [path, origin] of layer.provenance) provenance.set(path, origin);
  }
  for (const [path, key] of unions) {
    const section = getPath(values, path.split('.'));
    const fallback = unionDefaults.get(path);
    if (isPlainObject(section) && section[key] === undefined && fallback !== undefined) section[key] = fallback;
  }
  return { values, provenance };
}

function merge(base: unknown, override: unknown, path: string[], unions: ReadonlyMap<string, string>): unknown {
  if (!isPlainObject(override)) return override;
  const key = unions.get(path.join('.'));
  // Only a type set below counts as a change: fields a lower layer set without one (a password in the
  // environment, the kind from a flag) are meant for whichever type the section ends up with.
  const replaced = key !== undefined && isPlainObject(base) && base[key] !== undefined && override[key] !== undefined && override[key] !== base[key];
  const out: PlainObject = {};
  if (isPlainObject(base) && !replaced) for (const k of Object.keys(base)) out[k] = base[k];
  for (const k of Object.keys(override)) out[k] = merge(out[k], override[k], [...path, k], unions);
  return out;
}

function setPath(target: PlainObject, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as PlainObject;
  }
  node[path[path.length - 1]] = value;
}

export function getPath(target: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = target;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}
