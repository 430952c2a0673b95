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

/** A sliding-window budget of edits: at most `edits` started within any `windowMs`. */
function createEditBudget(clock: Clock, budget: { edits: number; windowMs: number }) {
  const startedAt: number[] = [];
  return {
    record: () => void startedAt.push(clock.now()),
    /** Earliest time one more edit fits. */
    freeAt: () => (startedAt.length < budget.edits ? Number.NEGATIVE_INFINITY : startedAt[startedAt.length - budget.edits]! + budget.windowMs),
    lastAt: () => startedAt.at(-1) ?? Number.NEGATIVE_INFINITY,
    get count() {
      return startedAt.length;
    },
  };
}

export interface EditThrottleOptions {
  intervalMs: number;
  clock: Clock;
  edit: (text: string) => Promise<unknown>;
  onError?: (error: unknown) => void;
  budget?: { edits: number; windowMs: number };
}

/**
 * Every edit of one message, paced: streamed text is coalesced into edits at most once per
 * `intervalMs`, never two at once, always with the latest text; every edit — streamed, notices and
 * the final one — stays within `budget` (default 5 per 5 s). Streamed-edit failures are reported to
 * `onError` and do not stop the stream.
 */
export function createEditThrottle(options: EditThrottleOptions): EditThrottle {
  return new PacedEdits(options);
}

class PacedEdits implements EditThrottle {
  private readonly budget: ReturnType<typeof createEditBudget>;
  private pending: string | undefined;
  private lastSent: string | undefined;
  private timer: TimerHandle | undefined;
  private inFlight: Promise<unknown> | undefined;
  private streaming = true;

  constructor(private readonly options: EditThrottleOptions) {
    this.budget = createEditBudget(options.clock, options.budget ?? { edits: EDITS_PER_WINDOW, windowMs: EDIT_WINDOW_MS });
  }

  get edits(): number {
    return this.budget.count;
  }

  push(text: string): void {
    if (!this.streaming) return;
    this.pending = text;
    this.schedule();
  }

  async edit<T>(run: () => Promise<T>): Promise<T> {
    await this.waitForRoom();
    return this.track(run);
  }

  async finish<T>(run: () => Promise<T>): Promise<T> {
    await this.close();
    return this.edit(run);
  }

  async close(): Promise<void> {
    this.streaming = false;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private track<T>(run: () => Promise<T>): Promise<T> {
    this.budget.record();
    const result = run();
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight = settled;
    void settled.then(() => {
      this.inFlight = undefined;
      this.schedule();
    });
    return result;
  }

  private schedule(): void {
    if (!this.streaming || this.inFlight || this.timer !== undefined || this.pending === undefined) return;
    const { clock, intervalMs } = this.options;
    const wait = Math.max(this.budget.lastAt() + intervalMs, this.budget.freeAt()) - clock.now();
    if (wait <= 0) this.runStreamed();
    else this.timer = clock.setTimeout(() => this.runStreamed(), wait);
  }

  private runStreamed(): void {
    this.timer = undefined;
    if (!this.streaming || this.inFlight || this.pending === undefined) return;
    const text = this.pending;
    this.pending = undefined;
    if (text === this.lastSent) return;
    this.lastSent = text;
    this.track(() => this.options.edit(text)).catch((error: unknown) => this.options.onError?.(error));
  }

  /** Resolves when nothing is in flight and the budget has room (re-checked: a streamed edit may start meanwhile). */
  private async waitForRoom(): Promise<void> {
    for (;;) {
      if (this.inFlight) {
        await this.inFlight;
        continue;
      }
      const wait = this.budget.freeAt() - this.options.clock.now();
      if (wait <= 0) return;
      await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, wait));
    }
  }
}
