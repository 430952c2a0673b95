import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startIndexRefreshLoop, WARM_UP_NAME } from '../../src/bot/index-refresh-loop.js';

describe('startIndexRefreshLoop', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks the index every interval and builds the name index of new papers at once (one lookup), not for unchanged ones', async () => {
    const changes = [false, true, false];
    const refreshIndex = vi.fn(async () => changes.shift() ?? false);
    const suggestPapers = vi.fn(async () => []);
    const loop = startIndexRefreshLoop({ refreshIndex, suggestPapers }, 1_000);
    try {
      await vi.advanceTimersByTimeAsync(1_000);
      expect([refreshIndex.mock.calls.length, suggestPapers.mock.calls.length]).toEqual([1, 0]);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(suggestPapers.mock.calls).toEqual([[WARM_UP_NAME, 1]]);
      await vi.advanceTimersByTimeAsync(1_000);
      expect([refreshIndex.mock.calls.length, suggestPapers.mock.calls.length]).toEqual([3, 1]);
    } finally {
      loop.stop();
    }
    await vi.advanceTimersByTimeAsync(5_000);
    expect(refreshIndex).toHaveBeenCalledTimes(3);
  });

  it('a failing warm-up lookup does not stop the loop', async () => {
    const refreshIndex = vi.fn(async () => true);
    const suggestPapers = vi.fn(() => {
      throw new Error('boom');
    });
    const loop = startIndexRefreshLoop({ refreshIndex, suggestPapers }, 1_000);
    try {
      await vi.advanceTimersByTimeAsync(2_000);
      expect([refreshIndex.mock.calls.length, suggestPapers.mock.calls.length]).toEqual([2, 2]);
    } finally {
      loop.stop();
    }
  });
});
