import type { Logger } from '../app/logger.js';
import type { CooldownStore } from '../state/cooldown-store.js';
import type { Clock } from './clock.js';

/** The remembered takes are pruned of ended cooldowns once there are more than this. */
const PRUNE_ABOVE = 1_000;

export interface Cooldown {
  /**
   * Try to start work for a user: 0 when allowed (and the cooldown starts now), else the whole
   * seconds left to wait. Rejects when the state cannot be reached.
   */
  take(userId: string): Promise<number>;
  /** Give back the cooldown this process took for the user (their request failed before any work). Never rejects. */
  release(userId: string): Promise<void>;
}

/**
 * Per-user cooldown between model-backed requests, kept in the state stores, so it holds across
 * restarts and across processes (shards) sharing one database.
 */
export function createCooldown(seconds: number, deps: { clock: Pick<Clock, 'now'>; store: CooldownStore; logger: Logger }): Cooldown {
  const periodMs = seconds * 1000;
  // What this process took, per user: release gives back only that one.
  const taken = new Map<string, number>();
  return {
    async take(userId) {
      if (periodMs <= 0) return 0;
      const now = deps.clock.now();
      const until = now + periodMs;
      const result = await deps.store.take(userId, now, until);
      if (!result.taken) return Math.max(1, Math.ceil((result.until - now) / 1000));
      taken.set(userId, until);
      if (taken.size > PRUNE_ABOVE) for (const [id, end] of taken) if (end <= now) taken.delete(id);
      return 0;
    },
    async release(userId) {
      const until = taken.get(userId);
      if (until === undefined) return;
      taken.delete(userId);
      await deps.store.release(userId, until).catch((error: unknown) => deps.logger.warn({ err: error, event: 'cooldown-release-failed', userId }, 'could not give back a cooldown'));
    },
  };
}
