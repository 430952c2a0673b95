import { describe, expect, it } from 'vitest';
import { isUserFacingError } from '../../src/errors.js';
import { parseSince } from '../../src/feeds/parse-since.js';

const now = Date.UTC(2025, 0, 8, 12, 0, 0);

describe('parseSince', () => {
  it('reads durations back from now', () => {
    expect(parseSince('7d', now).toISOString()).toBe('2025-01-01T12:00:00.000Z');
    expect(parseSince('36h', now).toISOString()).toBe('2025-01-07T00:00:00.000Z');
    expect(parseSince('2W', now).toISOString()).toBe('2024-12-25T12:00:00.000Z');
  });

  it('reads dates (UTC midnight) and timestamps', () => {
    expect(parseSince('2025-01-03', now).toISOString()).toBe('2025-01-03T00:00:00.000Z');
    expect(parseSince('2025-01-03T06:30:00Z', now).toISOString()).toBe('2025-01-03T06:30:00.000Z');
  });

  it('refuses anything else, zero durations and future dates with a user-facing error', () => {
    for (const value of ['', 'week', '7', '0d', '7y', '2025-13-01', '2025-02-01', '-3d']) {
      let caught: unknown;
      try {
        parseSince(value, now);
      } catch (error) {
        caught = error;
      }
      expect(isUserFacingError(caught), value).toBe(true);
      expect((caught as Error).message).toContain(`(got ${JSON.stringify(value)})`);
    }
  });
});
