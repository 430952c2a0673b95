import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/feeds/retry-after.js';

const now = Date.UTC(2025, 0, 8, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('5', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 08 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 08 Jan 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('is undefined when missing or unreadable', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});
