import { describe, expect, it } from 'vitest';
import { parseArgv } from './argv.js';

describe('parseArgv', () => {
  const booleans = new Set(['standardize', 'progress']);

  it('reads values, = values, booleans, negations and positionals', () => {
    const { positionals, flags } = parseArgv(['file.jsonl', '--lr', '0.1', '--seed=3', '--standardize', '--no-progress', '--optimizer.betas', '0.9,0.99'], booleans);
    expect(positionals).toEqual(['file.jsonl']);
    expect(Object.fromEntries(flags)).toEqual({ lr: '0.1', seed: '3', standardize: 'true', progress: 'false', 'optimizer.betas': '0.9,0.99' });
  });

  it('accepts negative numbers as values', () => {
    expect(parseArgv(['--loss.alpha', '-1'], booleans).flags.get('loss.alpha')).toBe('-1');
  });

  it('explains mistakes', () => {
    expect(() => parseArgv(['--lr'], booleans)).toThrow('option --lr needs a value');
    expect(() => parseArgv(['--lr', '1', '--lr', '2'], booleans)).toThrow('option --lr is given twice');
    expect(() => parseArgv(['-x'], booleans)).toThrow("unknown option '-x'");
  });
});
