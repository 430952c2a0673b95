import { setTimeout as delay } from 'node:timers/promises';

/** Time for the feed clients, injectable so tests neither wait for politeness gaps nor for timeouts. */
export interface FeedTimers {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolve after `ms`; reject with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A signal that aborts with a `TimeoutError` DOMException after `ms`. */
  timeoutSignal(ms: number): AbortSignal;
}

export const systemFeedTimers: FeedTimers = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, signal ? { signal } : {});
  },
  timeoutSignal: (ms) => AbortSignal.timeout(ms),
};

/** Keeps a minimum gap between the end of one request to a service and the start of the next. */
export interface RequestPacer {
  /** Wait out the gap (reporting the wait), run the request, and note when it ended. */
  run<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createRequestPacer(minGapMs: number, timers: FeedTimers, onWait?: (ms: number) => void): RequestPacer {
  let lastEnd: number | undefined;
  return {
    async run(request, signal) {
      const wait = lastEnd === undefined ? 0 : lastEnd + minGapMs - timers.now();
      if (wait > 0) {
        onWait?.(wait);
        await timers.sleep(wait, signal);
      }
      try {
        return await request();
      } finally {
        lastEnd = timers.now();
      }
    },
  };
}
