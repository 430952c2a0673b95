import type { FeedTimers } from '../../src/feeds/feed-timers.js';

/**
 * Feed timers for tests: `sleep` returns at once but records the wait and moves the virtual clock,
 * and timeouts fire only when the test calls `expireTimeouts()` (e.g. once a fake server holds a
 * hanging request), so nothing really waits.
 */
export interface FakeFeedTimers extends FeedTimers {
  /** Every wait asked for, in ms, in order. */
  readonly sleeps: number[];
  /** Abort every request timeout created so far that has not fired. */
  expireTimeouts(): void;
}

export function createFakeFeedTimers(startMs: number = Date.UTC(2025, 0, 8, 12, 0, 0)): FakeFeedTimers {
  let current = startMs;
  const sleeps: number[] = [];
  let pending: AbortController[] = [];
  return {
    sleeps,
    now: () => current,
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
      current += ms;
    },
    timeoutSignal() {
      const controller = new AbortController();
      pending.push(controller);
      return controller.signal;
    },
    expireTimeouts() {
      for (const controller of pending) controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
      pending = [];
    },
  };
}
