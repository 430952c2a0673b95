import type { Logger } from '../../app/logger.js';
import { UserFacingError } from '../../errors.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { DigestOutcome } from './post-digest-run.js';

/** Delays before retrying a scheduled digest that failed (a transient Discord or model error): at most 3 tries. */
export const DIGEST_RETRY_DELAYS_MS: readonly number[] = [5 * 60_000, 15 * 60_000, 45 * 60_000];
/** The shortest wait before checking again a slot another process is posting. */
const MIN_RECHECK_MS = 1_000;

export interface ScheduledDigestRunner {
  /** One scheduled check (cron timer, start-up); resolves with its outcome, undefined when it failed. */
  run(): Promise<DigestOutcome | undefined>;
  /** Cancel a pending retry; no further retries until `resume()`. */
  stop(): void;
  resume(): void;
}

/**
 * Runs scheduled checks: a failure is retried after DIGEST_RETRY_DELAYS_MS[attempt] on the clock; a slot
 * another live process is posting is checked again when its claim would expire. Every retry goes
 * through `check`, so the run's claim (and its recorded parts) keep anything from being posted twice.
 * Each check ends with one `digest-check` log line.
 */
export function createScheduledDigestRunner(deps: { check: () => Promise<DigestOutcome>; clock: Clock; logger: Logger }): ScheduledDigestRunner {
  const { clock, logger } = deps;
  let timer: TimerHandle | undefined;
  let stopped = false;

  const cancel = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const runAgainIn = (delayMs: number, attempt: number) => {
    cancel();
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (!stopped) void run(attempt);
    }, delayMs);
  };

  const run = async (attempt: number): Promise<DigestOutcome | undefined> => {
    let outcome: DigestOutcome | undefined;
    try {
      outcome = await deps.check();
      cancel();
      if (outcome.reason === 'in-progress' && outcome.retryAt !== undefined && !stopped) {
        const delayMs = Math.max(outcome.retryAt - clock.now(), MIN_RECHECK_MS);
        logger.info({ event: 'digest-claimed-elsewhere', delayMs }, 'another process is posting this digest; checking again when its claim expires');
        runAgainIn(delayMs, attempt);
      }
    } catch (error) {
      const delayMs = DIGEST_RETRY_DELAYS_MS[attempt];
      if (stopped || error instanceof UserFacingError || delayMs === undefined) {
        logger.error({ err: error, event: 'digest-failed', attempt }, attempt > 0 ? 'scheduled digest failed; no retries left' : 'scheduled digest failed');
      } else {
        logger.warn({ err: error, event: 'digest-retry-scheduled', attempt: attempt + 1, delayMs }, 'scheduled digest failed; retrying later');
        runAgainIn(delayMs, attempt + 1);
      }
    }
    logger[attempt > 0 ? 'info' : 'debug']({ event: 'digest-check', attempt, posted: outcome?.posted ?? false, reason: outcome?.reason ?? 'failed' }, 'scheduled digest check finished');
    return outcome;
  };

  return {
    run: () => (stopped ? Promise.resolve(undefined) : run(0)),
    stop() {
      stopped = true;
      cancel();
    },
    resume() {
      stopped = false;
    },
  };
}
