import { Cron } from 'croner';
import { UserFacingError } from '../../errors.js';

/** Runs `onTick` on a cron pattern; the default uses croner's timer, tests pass a fake. */
export type CronScheduler = (pattern: string, timezone: string, onTick: () => void) => { stop(): void };

export const croner: CronScheduler = (pattern, timezone, onTick) => {
  const job = new Cron(pattern, { timezone, protect: true, catch: true }, () => onTick());
  return { stop: () => job.stop() };
};

function pausedJob(pattern: string, timezone: string): Cron {
  return new Cron(pattern, { timezone, paused: true });
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a cron pattern (croner's message), or undefined when it is valid. */
export function cronPatternProblem(pattern: string, timezone: string): string | undefined {
  try {
    pausedJob(pattern, timezone).stop();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Throws a UserFacingError when the pattern or the time zone is not valid. */
export function validateSchedule(pattern: string, timezone: string): void {
  if (!isValidTimezone(timezone)) throw new UserFacingError('bad-timezone', `Unknown time zone "${timezone}". Use an IANA name such as Europe/Berlin or UTC.`);
  const problem = cronPatternProblem(pattern, timezone);
  if (problem) throw new UserFacingError('bad-cron', `Invalid schedule "${pattern}": ${problem}. Example: "0 9 * * 1" (Mondays 09:00).`);
}

/** The last scheduled time at or before `now` (ms), or null. */
export function lastScheduledAt(pattern: string, timezone: string, now: number): number | null {
  const job = pausedJob(pattern, timezone);
  try {
    const [previous] = job.previousRuns(1, new Date(now));
    return previous ? previous.getTime() : null;
  } finally {
    job.stop();
  }
}

/** The next scheduled time strictly after `now` (ms), or null. */
export function nextScheduledAt(pattern: string, timezone: string, now: number): number | null {
  const job = pausedJob(pattern, timezone);
  try {
    return job.nextRun(new Date(now))?.getTime() ?? null;
  } finally {
    job.stop();
  }
}

/** A cron timer firing up to this early still counts for its slot. */
const EARLY_TIMER_TOLERANCE_MS = 2_000;

/**
 * Which scheduled run is due at `now`: the last scheduled time at or before now (with a little
 * tolerance for timers that fire early), if it is not before `activeSince` (schedules do not
 * reach back before the digest was set up) — else null. Several missed runs collapse into the latest.
 */
export function dueScheduledRun(options: { pattern: string; timezone: string; now: number; activeSince: number; toleranceMs?: number }): number | null {
  const slot = lastScheduledAt(options.pattern, options.timezone, options.now + (options.toleranceMs ?? EARLY_TIMER_TOLERANCE_MS));
  if (slot === null || slot < options.activeSince) return null;
  return slot;
}

export function scheduledRunKey(slot: number): string {
  return `scheduled:${new Date(slot).toISOString()}`;
}
