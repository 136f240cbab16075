/**
 * Loading the configuration: YAML file, then ONLINE_LEARNER_* environment variables, then flags, over
 * the schema's defaults (flags > env > file > defaults), validated in one pass so that every problem is
 * reported at once. Throws ConfigError.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { listFields, unionSections } from './fields.js';
import { formatIssues } from './issues.js';
import { envLayer, fileLayer, flagLayer, isPlainObject, mergeLayers } from './layers.js';
import type { Layer, PlainObject } from './layers.js';
import { CONFIG_FILE_ENV } from './names.js';
import { configSchema } from './schema.js';
import type { AppConfig } from './schema.js';

const FIELDS = listFields(configSchema);
const UNIONS = unionSections(configSchema);
/** Discriminator a union section takes by default (optimizer -> adam): the section default's `type`. */
const UNION_DEFAULTS = new Map(
  [...UNIONS].flatMap(([path, key]): Array<[string, string]> => {
    const field = FIELDS.find((f) => f.path.join('.') === `${path}.${key}`);
    const value = field?.occurrences[0].defaultValue?.value;
    return typeof value === 'string' ? [[path, value]] : [];
  }),
);

export interface ResolveConfigOptions {
  /** A parsed config document and a label for messages (its path). */
  readonly file?: { readonly values: unknown; readonly label: string };
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Dotted field paths to values: `{ 'optimizer.lr': '0.1' }` (strings are coerced to the field's type). */
  readonly flags?: Readonly<Record<string, unknown>>;
}

/** Pure: layers in, validated config out. */
export function resolveConfig({ file, env = {}, flags = {} }: ResolveConfigOptions = {}): AppConfig {
  const layers: Layer[] = [];
  if (file !== undefined) {
    if (!isPlainObject(file.values)) throw new ConfigError(`${file.label}: the document must be a mapping of sections`);
    layers.push(fileLayer(file.values, file.label));
  }
  layers.push(envLayer(env, FIELDS), flagLayer(flags, FIELDS));
  const { values, provenance } = mergeLayers(layers, UNIONS, UNION_DEFAULTS);
  const result = configSchema.safeParse(values);
  if (!result.success) {
    throw new ConfigError(formatIssues(result.error.issues, { input: values, provenance, fields: FIELDS }));
  }
  return result.data;
}

export interface LoadConfigOptions {
  /** YAML file; default: $ONLINE_LEARNER_CONFIG, else none. */
  readonly path?: string;
  /** Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly flags?: Readonly<Record<string, unknown>>;
}

export async function loadConfig({ path, env = process.env, flags = {} }: LoadConfigOptions = {}): Promise<AppConfig> {
  const filePath = path ?? env[CONFIG_FILE_ENV];
  if (filePath === undefined) return resolveConfig({ env, flags });
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (err) {
    throw new ConfigError(`${filePath}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return resolveConfig({ file: { values: parseYaml(text, filePath), label: filePath }, env, flags });
}

/** YAML to plain data; an empty document is an empty config. Syntax errors name the line and column. */
export function parseYaml(text: string, label: string): PlainObject {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(document.errors.map((err) => `${label}: ${err.message}`).join('\n'));
  }
  const values: unknown = document.toJS({ maxAliasCount: 100 });
  if (values === null || values === undefined) return {};
  if (!isPlainObject(values)) throw new ConfigError(`${label}: the document must be a mapping of sections, got ${Array.isArray(values) ? 'a list' : typeof values}`);
  return values;
}
