import type pg from 'pg';
import type { CooldownStore, CooldownTake } from '../cooldown-store.js';

/** Expired cooldowns are swept once per this many takes (the table holds one row per recent user). */
const SWEEP_EVERY_TAKES = 1_000;
/** A take that finds its row gone between its two statements (released meanwhile) tries again, this often at most. */
const MAX_TAKE_ATTEMPTS = 3;

/** CooldownStore in PostgreSQL: one atomic upsert per take, so shards sharing the database agree. */
export class PostgresCooldownStore implements CooldownStore {
  private takes = 0;
  constructor(private readonly pool: pg.Pool) {}

  async take(userId: string, now: number, until: number): Promise<CooldownTake> {
    if (++this.takes % SWEEP_EVERY_TAKES === 0) await this.pool.query('DELETE FROM cooldowns WHERE until_at <= $1', [now]);
    for (let attempt = 1; ; attempt++) {
      const started = await this.pool.query(
        `INSERT INTO cooldowns (user_id, until_at) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET until_at = excluded.until_at WHERE cooldowns.until_at <= $3
         RETURNING until_at`,
        [userId, until, now],
      );
      if (started.rowCount) return { taken: true };
      const { rows } = await this.pool.query<{ until_at: number }>('SELECT until_at FROM cooldowns WHERE user_id = $1', [userId]);
      if (rows[0]) return { taken: false, until: rows[0].until_at };
      if (attempt >= MAX_TAKE_ATTEMPTS) return { taken: false, until };
    }
  }

  async release(userId: string, until: number): Promise<void> {
    await this.pool.query('DELETE FROM cooldowns WHERE user_id = $1 AND until_at = $2', [userId, until]);
  }
}
