import type { Clock, TimerHandle } from '../clock.js';

export interface SerialQueue {
  /** Run `job` after every job queued before it has settled. */
  run<T>(job: () => Promise<T>): Promise<T>;
  readonly busy: boolean;
  /** Resolves true once nothing is queued or running (jobs queued meanwhile included), false after `timeoutMs` on the clock. */
  waitIdle(timeoutMs: number): Promise<boolean>;
}

/** Runs async jobs one at a time (a scheduled digest and /digest now never interleave). */
export function createSerialQueue(clock: Clock): SerialQueue {
  let chain: Promise<unknown> = Promise.resolve();
  let pending = 0;
  return {
    run<T>(job: () => Promise<T>): Promise<T> {
      pending++;
      const next = chain.then(job, job).finally(() => pending--);
      chain = next.catch(() => undefined);
      return next;
    },
    get busy() {
      return pending > 0;
    },
    async waitIdle(timeoutMs) {
      let timer: TimerHandle | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = clock.setTimeout(() => resolve(false), timeoutMs);
      });
      const idle = async (): Promise<true> => {
        while (pending > 0) await chain;
        return true;
      };
      try {
        return await Promise.race([idle(), timeout]);
      } finally {
        if (timer !== undefined) clock.clearTimeout(timer);
      }
    },
  };
}
