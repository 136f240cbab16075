import { describe, expect, it } from 'vitest';
import { outputsOf, resolveSchema, schemaProblems } from './record-schema.js';

describe('schemaProblems', () => {
  it('accepts the common shapes', () => {
    expect(schemaProblems({ features: ['h', 'w'], task: 'multiclass', classes: ['a', 'b', 'c'] })).toEqual([]);
    expect(schemaProblems({ features: 3, task: 'multiclass', outputs: 4 })).toEqual([]);
    expect(schemaProblems({ features: 3, task: 'binary' })).toEqual([]);
    expect(schemaProblems({ features: 3, task: 'regression', outputs: 2 })).toEqual([]);
  });

  it('names each broken rule with its path', () => {
    expect(schemaProblems({ features: ['a', '__proto__', 'a', ''], task: 'regression', classes: ['x'] })).toEqual([
      { path: 'features[1]', message: "'__proto__' is invalid: records with this key are always rejected (prototype_key)" },
      { path: 'features[2]', message: "'a' is a duplicate: names must be unique" },
      { path: 'features[3]', message: '"" is invalid: must be a non-empty string' },
      { path: 'classes', message: 'is set but task is regression: remove it or choose binary / multiclass' },
    ]);
    expect(schemaProblems({ features: 0, task: 'binary', classes: ['a', 'b', 'c'] }).map((p) => p.path)).toEqual([
      'features',
      'classes',
    ]);
    expect(schemaProblems({ features: 2, task: 'multiclass' })).toEqual([
      { path: 'classes', message: 'is missing: multiclass needs class names (classes) or a class count (outputs)' },
    ]);
    expect(schemaProblems({ features: 2, task: 'multiclass', classes: ['a', 'b'], outputs: 3 })[0].path).toBe('outputs');
    expect(schemaProblems({ features: 2, task: 'binary', outputs: 2 })[0].path).toBe('outputs');
  });
});

describe('resolveSchema', () => {
  it('precomputes name lookups in Maps and the output width', () => {
    const resolved = resolveSchema({ features: ['h', 'w'], task: 'multiclass', classes: ['man', 'woman', 'child'] });
    expect(resolved.featureCount).toBe(2);
    expect(resolved.featureIndex.get('w')).toBe(1);
    expect(resolved.classIndex.get('child')).toBe(2);
    expect(resolved.outputs).toBe(3);
    expect(outputsOf({ features: 1, task: 'binary' })).toBe(1);
    expect(outputsOf({ features: 1, task: 'regression' })).toBe(1);
  });

  it('throws a ConfigError listing every problem', () => {
    expect(() => resolveSchema({ features: [], task: 'multiclass' })).toThrow(
      'schema.features: is empty: declare at least one feature\n' +
        'schema.classes: is missing: multiclass needs class names (classes) or a class count (outputs)',
    );
  });
});
