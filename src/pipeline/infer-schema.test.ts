import { describe, expect, it } from 'vitest';
import { inferSchema } from './infer-schema.js';

const lines = (...records: unknown[]): string[] => records.map((r) => JSON.stringify(r));

describe('inferSchema', () => {
  it('names features in first-appearance order and sorts string classes', () => {
    const result = inferSchema(
      lines(
        { features: { height: 182, weight: 81 }, label: 'man' },
        { features: { weight: 60, height: 165 }, label: 'woman' },
        { features: { height: 120, weight: 25 }, label: 'child', weight: 2 },
      ),
    );
    expect(result.schema).toEqual({ features: ['height', 'weight'], task: 'multiclass', classes: ['child', 'man', 'woman'] });
    expect(result.examined).toBe(3);
    expect(result.description).toBe(
      [
        'Schema inferred from 3 of 3 records:',
        '  features: 2 named (height, weight)',
        '  task:     multiclass, 3 classes sorted by name (0=child, 1=man, 2=woman); declare schema.classes to choose the order',
        '  weights:  present in 1 records',
        'Declare `schema` in the config to override any of this.',
      ].join('\n'),
    );
  });

  it('gives the same classes whatever the arrival order', () => {
    const a = inferSchema(lines({ features: [1], label: 'b' }, { features: [1], label: 'a' }, { features: [1], label: 'c' }));
    const b = inferSchema(lines({ features: [1], label: 'c' }, { features: [1], label: 'b' }, { features: [1], label: 'a' }));
    expect(a.schema).toEqual(b.schema);
  });

  it('infers binary from two names, booleans, or 0 / 1 integers', () => {
    expect(inferSchema(lines({ features: [1], label: 'spam' }, { features: [2], label: 'ham' })).schema).toEqual({
      features: 1,
      task: 'binary',
      classes: ['ham', 'spam'],
    });
    expect(inferSchema(lines({ features: [1], label: true }, { features: [2], label: false })).schema.task).toBe('binary');
    expect(inferSchema(lines({ features: [1], label: 1 }, { features: [2], label: 0 })).schema).toEqual({ features: 1, task: 'binary' });
  });

  it('reads small non-negative integers as class indices and other numbers as regression', () => {
    expect(inferSchema(lines({ features: [1, 2], label: 0 }, { features: [3, 4], label: 4 })).schema).toEqual({
      features: 2,
      task: 'multiclass',
      outputs: 5,
    });
    expect(inferSchema(lines({ features: [1], label: 0 }, { features: [3], label: 12.5 })).schema).toEqual({ features: 1, task: 'regression' });
    expect(inferSchema(lines({ features: [1], label: 3 }, { features: [3], label: 500 })).schema.task).toBe('regression');
    expect(inferSchema(lines({ features: [1], label: -1 }, { features: [3], label: 2 })).schema.task).toBe('regression');
  });

  it('reads label arrays as probability targets or multi-output regression', () => {
    expect(inferSchema(lines({ features: [1], label: [0.2, 0.8] }, { features: [1], label: [1, 0] })).schema).toEqual({
      features: 1,
      task: 'multiclass',
      outputs: 2,
    });
    expect(inferSchema(lines({ features: [1], label: [3, -1] }, { features: [1], label: [1, 0] })).schema).toEqual({
      features: 1,
      task: 'regression',
      outputs: 2,
    });
  });

  it('skips records that fail the JSON checks and counts them, and stops at maxRecords', () => {
    const result = inferSchema(
      ['not json', '{"__proto__": 1}', '[1]', '{"label": 1}', ...lines({ features: [1, 2], label: 0.5 }), '{"features": [1, 2], "label": 1e999}'],
      { maxRecords: 6 },
    );
    expect(result.schema).toEqual({ features: 2, task: 'regression' });
    expect(result.skipped).toEqual({ not_json: 1, prototype_key: 1, not_object: 1, missing_features: 1, non_finite: 1 });
    expect(result.description.split('\n')[0]).toBe(
      'Schema inferred from 2 of 6 records (skipped: not_json 1, prototype_key 1, not_object 1, missing_features 1, non_finite 1):',
    );
  });

  it('notes named features missing from some records', () => {
    const result = inferSchema(lines({ features: { a: 1, b: 2 }, label: 1.5 }, { features: { a: 1 }, label: 2.5 }));
    expect(result.description).toContain('b missing from some records (those records will be rejected as missing_features)');
  });

  it('refuses what it cannot decide, saying what to declare', () => {
    expect(() => inferSchema(lines({ features: [1], label: 0 }, { features: { a: 1 }, label: 1 }))).toThrow(
      'cannot infer a schema: 1 records give features by name (object) and 1 by position (array); declare schema.features',
    );
    expect(() => inferSchema(lines({ features: [1], label: 0 }, { features: [1, 2], label: 1 }))).toThrow('different lengths');
    expect(() => inferSchema(lines({ features: [1], label: 'a' }, { features: [1], label: 1 }))).toThrow('labels mix string and number');
    expect(() => inferSchema(lines({ features: [1], label: 'a' }))).toThrow("every label is 'a'");
    expect(() => inferSchema(lines({ features: [1] }))).toThrow('no record examined has a label');
    expect(() => inferSchema(['oops'])).toThrow('none of the 1 records examined has features (skipped: not_json 1)');
  });
});
