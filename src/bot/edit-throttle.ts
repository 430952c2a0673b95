import type { Clock, TimerHandle } from './clock.js';

export interface EditThrottle {
  /** The latest full text; an edit with it happens now or at the next allowed time. */
  push(text: string): void;
  /** Stop scheduled edits and wait for the one in flight (call before the final edit). */
  flush(): Promise<void>;
  /** Edits performed so far. */
  readonly edits: number;
}

/**
 * Coalesces streamed text into message edits at most once per `intervalMs` (Discord allows about
 * 5 edits / 5 s per channel), never two at once, always with the latest text. Edit failures are
 * reported to `onError` and do not stop the stream.
 */
export function createEditThrottle(options: {
  intervalMs: number;
  clock: Clock;
  edit: (text: string) => Promise<unknown>;
  onError?: (error: unknown) => void;
}): EditThrottle {
  const { intervalMs, clock, edit } = options;
  let lastEditAt = Number.NEGATIVE_INFINITY;
  let pending: string | undefined;
  let lastSent: string | undefined;
  let timer: TimerHandle | undefined;
  let inFlight: Promise<void> | undefined;
  let closed = false;
  let edits = 0;

  const run = () => {
    timer = undefined;
    if (closed || inFlight || pending === undefined) return;
    const text = pending;
    pending = undefined;
    if (text === lastSent) return;
    lastSent = text;
    lastEditAt = clock.now();
    edits++;
    inFlight = edit(text)
      .then(() => undefined, (error: unknown) => options.onError?.(error))
      .finally(() => {
        inFlight = undefined;
        schedule();
      });
  };

  const schedule = () => {
    if (closed || inFlight || timer !== undefined || pending === undefined) return;
    const wait = lastEditAt + intervalMs - clock.now();
    if (wait <= 0) run();
    else timer = clock.setTimeout(run, wait);
  };

  return {
    push(text) {
      if (closed) return;
      pending = text;
      schedule();
    },
    async flush() {
      closed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    get edits() {
      return edits;
    },
  };
}
