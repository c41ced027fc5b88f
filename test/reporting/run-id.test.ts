import { describe, expect, it } from 'vitest';
import { newRunId, RUN_ID_PATTERN } from '../../emulator/reporting/run-id.ts';

describe('run ids', () => {
  it('are YYYYMMDD-HHMMSS-<4 hex> in UTC', () => {
    expect(newRunId(new Date(Date.UTC(2026, 10, 24, 9, 5, 7)), 'a1f0')).toBe('20261124-090507-a1f0');
    expect(newRunId()).toMatch(RUN_ID_PATTERN);
  });

  it('sort by start time as plain strings', () => {
    const ids = [Date.UTC(2026, 0, 2), Date.UTC(2025, 11, 31, 23, 59, 59), Date.UTC(2026, 0, 1, 12)].map((t) => newRunId(new Date(t)));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('differ within the same second', () => {
    const at = new Date();
    const ids = new Set(Array.from({ length: 20 }, () => newRunId(at)));
    expect(ids.size).toBeGreaterThan(1);
  });
});
