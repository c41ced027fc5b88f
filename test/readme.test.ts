import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LIMITS } from '../emulator/core/limits.ts';

// The README promises the limits table and the quick start; these keep the promises true.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('readme: lists every limit with its AWS value, unit and source', () => {
    for (const [name, limit] of Object.entries(LIMITS)) {
      expect(readme).toContain(`| \`${name}\` | ${limit.value} ${limit.unit} | ${limit.description} |`);
    }
  });

  it('readme: shows the two quick-start commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });
});
