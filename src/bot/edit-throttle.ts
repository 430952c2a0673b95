import type { Clock, TimerHandle } from './clock.js';

/** Discord allows about this many edits of one message… */
export const EDITS_PER_WINDOW = 5;
/** …within this many milliseconds. */
export const EDIT_WINDOW_MS = 5_000;

export interface EditThrottle {
  /** The latest streamed text; an edit with it happens now or at the next allowed time. */
  push(text: string): void;
  /** An edit outside the stream (a notice): runs when no edit is in flight and the budget has room. */
  edit<T>(run: () => Promise<T>): Promise<T>;
  /** Stop streamed edits, wait for the one in flight, then run the final edit within the budget too. */
  finish<T>(run: () => Promise<T>): Promise<T>;
  /** Stop streamed edits and wait for the one in flight (when there is no final edit). */
  close(): Promise<void>;
  /** Edits performed so far (streamed and others). */
  readonly edits: number;
}

/**
 * Every edit of one message, paced: streamed text is coalesced into edits at most once per
 * `intervalMs`, never two at once, always with the latest text; every edit — streamed, notices and
 * the final one — stays within `budget` (default 5 per 5 s). Streamed-edit failures are reported to
 * `onError` and do not stop the stream.
 */
export function createEditThrottle(options: {
  intervalMs: number;
  clock: Clock;
  edit: (text: string) => Promise<unknown>;
  onError?: (error: unknown) => void;
  budget?: { edits: number; windowMs: number };
}): EditThrottle {
  const { intervalMs, clock } = options;
  const budget = options.budget ?? { edits: EDITS_PER_WINDOW, windowMs: EDIT_WINDOW_MS };
  const startedAt: number[] = [];
  let pending: string | undefined;
  let lastSent: string | undefined;
  let timer: TimerHandle | undefined;
  let inFlight: Promise<unknown> | undefined;
  let streaming = true;

  /** Earliest time the budget has room for one more edit. */
  const budgetFreeAt = () => (startedAt.length < budget.edits ? Number.NEGATIVE_INFINITY : startedAt[startedAt.length - budget.edits]! + budget.windowMs);
  const track = <T>(run: () => Promise<T>): Promise<T> => {
    startedAt.push(clock.now());
    const result = run();
    inFlight = result.then(
      () => undefined,
      () => undefined,
    );
    void inFlight.then(() => {
      inFlight = undefined;
      schedule();
    });
    return result;
  };

  const runStreamed = () => {
    timer = undefined;
    if (!streaming || inFlight || pending === undefined) return;
    const text = pending;
    pending = undefined;
    if (text === lastSent) return;
    lastSent = text;
    track(() => options.edit(text)).catch((error: unknown) => options.onError?.(error));
  };

  const schedule = () => {
    if (!streaming || inFlight || timer !== undefined || pending === undefined) return;
    const lastAt = startedAt.at(-1) ?? Number.NEGATIVE_INFINITY;
    const wait = Math.max(lastAt + intervalMs, budgetFreeAt()) - clock.now();
    if (wait <= 0) runStreamed();
    else timer = clock.setTimeout(runStreamed, wait);
  };

  /** Resolves when nothing is in flight and the budget has room (re-checked: a streamed edit may start meanwhile). */
  const waitForRoom = async (): Promise<void> => {
    for (;;) {
      if (inFlight) {
        await inFlight;
        continue;
      }
      const wait = budgetFreeAt() - clock.now();
      if (wait <= 0) return;
      await new Promise<void>((resolve) => clock.setTimeout(resolve, wait));
    }
  };

  const close = async () => {
    streaming = false;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    await inFlight;
  };

  return {
    push(text) {
      if (!streaming) return;
      pending = text;
      schedule();
    },
    async edit(run) {
      await waitForRoom();
      return track(run);
    },
    async finish(run) {
      await close();
      await waitForRoom();
      return track(run);
    },
    close,
    get edits() {
      return startedAt.length;
    },
  };
}
