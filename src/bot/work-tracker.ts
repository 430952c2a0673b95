import { settlesWithin } from '../async/settles-within.js';

/** Tracks work in flight so shutdown can stop taking new work and wait for answers being written. */
export interface WorkTracker {
  readonly accepting: boolean;
  readonly inFlight: number;
  /** Run `fn` as tracked work. */
  track<T>(fn: () => Promise<T>): Promise<T>;
  /** Stop accepting; resolve when all work is done or `timeoutMs` passed (true when drained). */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createWorkTracker(): WorkTracker {
  const running = new Set<Promise<unknown>>();
  let accepting = true;
  return {
    get accepting() {
      return accepting;
    },
    get inFlight() {
      return running.size;
    },
    track(fn) {
      const promise = fn();
      running.add(promise);
      const remove = () => running.delete(promise);
      promise.then(remove, remove);
      return promise;
    },
    async drain(timeoutMs) {
      accepting = false;
      if (running.size === 0) return true;
      return settlesWithin(Promise.allSettled([...running]), timeoutMs);
    },
  };
}
