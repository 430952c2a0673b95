/** The outcome of trying to start a user's cooldown. */
export type CooldownTake = { taken: true } | { taken: false; until: number };

/**
 * Per-user cooldowns between model-backed requests, shared by every process on the same state (so a
 * user's cooldown holds across shards). Times are ms on the caller's clock.
 */
export interface CooldownStore {
  /**
   * Start the user's cooldown, ending at `until`, unless one is still running at `now` (its end is
   * returned then, unchanged). Atomic: of two processes taking at once, one gets it.
   */
  take(userId: string, now: number, until: number): Promise<CooldownTake>;
  /** End the cooldown that `take` started with this `until` (a later one, taken since, stays). */
  release(userId: string, until: number): Promise<void>;
}
