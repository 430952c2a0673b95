import type { Clock } from './clock.js';

export interface Cooldown {
  /**
   * Try to start work for a user: 0 when allowed (and the cooldown starts now), else the whole
   * seconds left to wait.
   */
  take(userId: string): number;
  /** Forget a user's cooldown (e.g. when their request was rejected before any work). */
  release(userId: string): void;
}

/** Per-user cooldown between model-backed requests, in memory (a restart clears it). */
export function createCooldown(seconds: number, clock: Pick<Clock, 'now'>): Cooldown {
  const until = new Map<string, number>();
  const periodMs = seconds * 1000;
  return {
    take(userId) {
      if (periodMs <= 0) return 0;
      const now = clock.now();
      const end = until.get(userId);
      if (end !== undefined && end > now) return Math.ceil((end - now) / 1000);
      until.set(userId, now + periodMs);
      // Keep the map small: drop expired entries now and then.
      if (until.size > 1000) for (const [id, t] of until) if (t <= now) until.delete(id);
      return 0;
    },
    release(userId) {
      until.delete(userId);
    },
  };
}
