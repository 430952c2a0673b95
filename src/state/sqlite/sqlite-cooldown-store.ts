import type { CooldownStore, CooldownTake } from '../cooldown-store.js';
import type { StateDatabase } from './open-state-database.js';

/** Expired cooldowns are swept once per this many takes (the table holds one row per recent user). */
const SWEEP_EVERY_TAKES = 1_000;

/** CooldownStore in the SQLite state database. */
export class SqliteCooldownStore implements CooldownStore {
  private takes = 0;
  constructor(private readonly db: StateDatabase) {}

  async take(userId: string, now: number, until: number): Promise<CooldownTake> {
    if (++this.takes % SWEEP_EVERY_TAKES === 0) this.db.prepare('DELETE FROM cooldowns WHERE until_at <= ?').run(now);
    return this.db
      .transaction((): CooldownTake => {
        const started = this.db
          .prepare(
            `INSERT INTO cooldowns (user_id, until_at) VALUES (?, ?)
             ON CONFLICT(user_id) DO UPDATE SET until_at = excluded.until_at WHERE cooldowns.until_at <= ?
             RETURNING until_at`,
          )
          .get(userId, until, now);
        if (started) return { taken: true };
        const row = this.db.prepare('SELECT until_at FROM cooldowns WHERE user_id = ?').get(userId) as { until_at: number };
        return { taken: false, until: row.until_at };
      })
      .immediate();
  }

  async release(userId: string, until: number): Promise<void> {
    this.db.prepare('DELETE FROM cooldowns WHERE user_id = ? AND until_at = ?').run(userId, until);
  }
}
