/** The timer functions `settlesWithin` uses: the real ones, or a test's fake clock (e.g. the bot's `Clock`). */
export interface TimerFunctions<Handle = unknown> {
  setTimeout(callback: () => void, ms: number): Handle;
  clearTimeout(handle: Handle): void;
}

const realTimers: TimerFunctions<NodeJS.Timeout> = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle),
};

/**
 * Wait for `work` for at most `ms`: true when it settled (resolved or rejected) in time, false when the
 * time ran out first. The work is not cancelled; the timer is cleared either way and never keeps the
 * process alive.
 */
export async function settlesWithin<Handle>(work: Promise<unknown>, ms: number, timers?: TimerFunctions<Handle>): Promise<boolean> {
  const clock = (timers ?? realTimers) as TimerFunctions<unknown>;
  let handle: unknown;
  const timeout = new Promise<false>((resolve) => {
    handle = clock.setTimeout(() => resolve(false), ms);
  });
  const settled = work.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clock.clearTimeout(handle);
  }
}
