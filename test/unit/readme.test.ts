import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigReference } from '../../src/config/reference.js';

describe('README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('embeds the configuration reference generated from the schema', () => {
    const start = readme.indexOf('-->\n', readme.indexOf('<!-- config-reference:start')) + 4;
    const end = readme.indexOf('<!-- config-reference:end -->');
    expect(readme.slice(start, end)).toBe(renderConfigReference());
  });

  it('names the two commands', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });
});
