import { describe, expect, it } from 'vitest';
import { listFields } from './fields.js';
import { envNameOf } from './names.js';
import { renderConfigReference } from './reference.js';
import { configSchema } from './schema.js';

describe('the configuration reference', () => {
  it('describes every field', () => {
    const undocumented = listFields(configSchema)
      .filter((field) => field.description.trim() === '')
      .map((field) => field.path.join('.'));
    expect(undocumented).toEqual([]);
  });

  it('gives every field its own environment variable', () => {
    const names = listFields(configSchema).map((field) => envNameOf(field.path));
    expect(new Set(names).size).toBe(names.length);
  });

  it('renders per-variant defaults and required fields', () => {
    const reference = renderConfigReference();
    expect(reference).toContain(
      '| `optimizer.lr` | number >= 0 | sgd: required; adagrad, rmsprop: `0.01`; adam, adamw: `0.001` | Base learning rate (the schedule starts from it). Required for sgd, as in torch. |',
    );
    expect(reference).toContain("| `optimizer.betas` | [number in [0, 1), number in [0, 1)] | `[0.9, 0.999]` | (adam, adamw) Decay rates");
    expect(reference).toContain('| `source.sasl.password` | string | required in `source.sasl` |');
    expect(reference).toContain("| `source.type` | 'kafka' \\| 'file' \\| 'embedded' | `'embedded'` |");
  });

  it('is the committed reference.md (regenerate with `npx vitest run src/config -u`)', async () => {
    await expect(renderConfigReference()).toMatchFileSnapshot('./reference.md');
  });
});
