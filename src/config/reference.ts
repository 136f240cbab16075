/**
 * The configuration reference as Markdown, generated from the schema (names, types, defaults and the
 * `.describe()` texts), so the README cannot drift from what the loader accepts.
 */
import type { ConfigField } from './fields.js';
import { listFields } from './fields.js';
import { CONFIG_FILE_ENV, envNameOf } from './names.js';
import { configSchema } from './schema.js';
import { typeText } from './type-text.js';

export function renderConfigReference(): string {
  const fields = listFields(configSchema);
  const rows = fields.map((field) => {
    const name = `\`${field.path.join('.')}\``;
    return `| ${name} | ${cell(typeText(field.schema))} | ${cell(defaultText(field))} | ${cell(descriptionText(field, fields))} |`;
  });
  return [
    'Precedence: command-line flags > environment variables > YAML file > defaults.',
    `Every field can be set in the YAML file (\`--config learner.yaml\` or \`${CONFIG_FILE_ENV}\`), by the environment`,
    `variable \`ONLINE_LEARNER_\` + its path in upper snake case (\`optimizer.weightDecay\` → \`${envNameOf(['optimizer', 'weightDecay'])}\`)`,
    'or by the flag `--optimizer.weightDecay`; in variables and flags, lists are comma-separated.',
    'Fields marked with variants exist only for those `type`s; changing a section\'s `type` in a higher layer replaces the section.',
    '',
    '| Field | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function defaultText(field: ConfigField): string {
  const groups = new Map<string, string[]>();
  for (const occurrence of field.occurrences) {
    const text =
      occurrence.defaultValue !== null
        ? `\`${valueText(occurrence.defaultValue.value)}\``
        : occurrence.optional
          ? '—'
          : occurrence.within === null
            ? 'required'
            : `required in \`${occurrence.within}\``;
    const variants = groups.get(text) ?? [];
    if (occurrence.variant !== null) variants.push(occurrence.variant);
    groups.set(text, variants);
  }
  if (groups.size === 1) return [...groups.keys()][0];
  return [...groups].map(([text, variants]) => `${variants.join(', ')}: ${text}`).join('; ');
}

function descriptionText(field: ConfigField, fields: readonly ConfigField[]): string {
  const mine = field.occurrences.map((o) => o.variant).filter((v): v is string => v !== null);
  if (mine.length === 0) return field.description;
  const parent = field.path.slice(0, -1).join('.');
  const all = new Set(
    fields
      .filter((f) => f.path.slice(0, -1).join('.') === parent)
      .flatMap((f) => f.occurrences.map((o) => o.variant))
      .filter((v): v is string => v !== null),
  );
  return mine.length === all.size ? field.description : `(${mine.join(', ')}) ${field.description}`;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  return String(value);
}

/** Table cells: a pipe would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
