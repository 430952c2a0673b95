/** Longest a batch of short tasks (autocomplete matching) may hold the event loop in one turn. */
export const SLICE_MS = 5;

/**
 * Takes turns on the event loop so network I/O (above all, acknowledgements due within 3 s) runs
 * between CPU-bound pieces of work instead of after all of them.
 */
export interface EventLoopTurns {
  /** Resolves on the next free turn, one caller per turn: for a long piece (an answer's retrieval). */
  next(): Promise<void>;
  /** Runs a short synchronous task with others of its kind, at most `SLICE_MS` of them per turn, first come first served. */
  slice<T>(task: () => T): Promise<T>;
}

export function createEventLoopTurns(sliceMs = SLICE_MS): EventLoopTurns {
  let turns: Promise<void> = Promise.resolve();
  const pending: (() => void)[] = [];
  let scheduled = false;

  const drain = () => {
    scheduled = false;
    const started = performance.now();
    // At least one task per turn, then more while the slice lasts.
    do pending.shift()?.();
    while (pending.length > 0 && performance.now() - started < sliceMs);
    if (pending.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(drain);
  };

  return {
    next() {
      const turn = turns.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
      turns = turn;
      return turn;
    },
    slice<T>(task: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        pending.push(() => {
          try {
            resolve(task());
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        schedule();
      });
    },
  };
}
