import { describe, expect, it } from 'vitest';
import { defineScenario, isScenario } from '../../emulator/harness/define.ts';

const base = { name: 'rest-happy-path', pattern: 'sync-request-response', description: 'x', run: async () => undefined };

describe('defineScenario', () => {
  it('returns a frozen scenario that isScenario recognises', () => {
    const s = defineScenario(base);
    expect(isScenario(s)).toBe(true);
    expect(Object.isFrozen(s)).toBe(true);
    expect(isScenario({ ...base })).toBe(false);
    expect(isScenario(null)).toBe(false);
  });

  it('rejects every problem at once, at definition time', () => {
    expect(() => defineScenario({ ...base, name: 'Rest_Happy', pattern: 'a b', description: ' ', offlineOnly: { reason: '' }, budgetSeconds: 0 })).toThrow(
      'Failed to define scenario "Rest_Happy": name "Rest_Happy" is not kebab-case; pattern "a b" is not kebab-case; description is empty; offlineOnly.reason is empty; budgetSeconds must be > 0. Fix the defineScenario({...}) call.',
    );
  });
});
