import type { CoverageGap, GapStore } from '../gap-store.js';
import { toCoverageGap, type GapRow } from '../state-rows.js';
import type { StateDatabase } from './open-state-database.js';

/** GapStore in the SQLite state database. */
export class SqliteGapStore implements GapStore {
  constructor(private readonly db: StateDatabase) {}

  async recordGap(gap: CoverageGap): Promise<void> {
    this.db
      .prepare('INSERT INTO coverage_gaps (question, asked_at, guild_id, user_hash, reason, command) VALUES (?, ?, ?, ?, ?, ?)')
      .run(gap.question, gap.askedAt, gap.guildId, gap.userHash, gap.reason, gap.command);
  }

  async listGaps(options: { since: number; guildId?: string; limit?: number }): Promise<CoverageGap[]> {
    const rows = this.db
      .prepare(
        `SELECT question, asked_at, guild_id, user_hash, reason, command FROM coverage_gaps
         WHERE asked_at >= ? AND (? IS NULL OR guild_id = ?) ORDER BY asked_at DESC, id DESC LIMIT ?`,
      )
      .all(options.since, options.guildId ?? null, options.guildId ?? null, options.limit ?? 10_000) as GapRow[];
    return rows.reverse().map(toCoverageGap);
  }

  async pruneGaps(before: number): Promise<number> {
    return this.db.prepare('DELETE FROM coverage_gaps WHERE asked_at < ?').run(before).changes;
  }

  async purgeGaps(): Promise<number> {
    return this.db.prepare('DELETE FROM coverage_gaps').run().changes;
  }

  async hashSalt(candidate: string): Promise<string> {
    this.db.prepare('INSERT INTO coverage_gap_salt (id, salt) VALUES (1, ?) ON CONFLICT(id) DO NOTHING').run(candidate);
    return (this.db.prepare('SELECT salt FROM coverage_gap_salt WHERE id = 1').get() as { salt: string }).salt;
  }
}
