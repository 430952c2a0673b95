import type pg from 'pg';
import type { Migration } from './apply-migrations.js';
import type { CoverageGap, GapStore } from '../gap-store.js';
import { toCoverageGap, type GapRow } from '../state-rows.js';

/** The coverage-gap log's own migration component (its tables never collide with other components'). */
export const GAPS_COMPONENT = 'coverage-gaps';

export const GAPS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'coverage gaps: refused and low-evidence questions (salted user hashes), and the salt',
    sql: `
      CREATE TABLE coverage_gaps (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        question   TEXT NOT NULL,
        asked_at   BIGINT NOT NULL,
        guild_id   TEXT,
        user_hash  TEXT NOT NULL,
        reason     TEXT NOT NULL CHECK (reason IN ('refused', 'low-evidence')),
        command    TEXT NOT NULL
      );
      CREATE INDEX coverage_gaps_by_time ON coverage_gaps (asked_at);
      CREATE TABLE coverage_gap_salt (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        salt  TEXT NOT NULL
      );
    `,
  },
];

/** GapStore in PostgreSQL. */
export class PostgresGapStore implements GapStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordGap(gap: CoverageGap): Promise<void> {
    await this.pool.query('INSERT INTO coverage_gaps (question, asked_at, guild_id, user_hash, reason, command) VALUES ($1, $2, $3, $4, $5, $6)', [
      gap.question,
      gap.askedAt,
      gap.guildId,
      gap.userHash,
      gap.reason,
      gap.command,
    ]);
  }

  async listGaps(options: { since: number; guildId?: string; limit?: number }): Promise<CoverageGap[]> {
    const { rows } = await this.pool.query<GapRow>(
      `SELECT question, asked_at, guild_id, user_hash, reason, command FROM coverage_gaps
       WHERE asked_at >= $1 AND ($2::text IS NULL OR guild_id = $2) ORDER BY asked_at DESC, id DESC LIMIT $3`,
      [options.since, options.guildId ?? null, options.limit ?? 10_000],
    );
    return rows.reverse().map(toCoverageGap);
  }

  async pruneGaps(before: number): Promise<number> {
    return (await this.pool.query('DELETE FROM coverage_gaps WHERE asked_at < $1', [before])).rowCount ?? 0;
  }

  async purgeGaps(): Promise<number> {
    return (await this.pool.query('DELETE FROM coverage_gaps')).rowCount ?? 0;
  }

  async hashSalt(candidate: string): Promise<string> {
    await this.pool.query('INSERT INTO coverage_gap_salt (id, salt) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [candidate]);
    const { rows } = await this.pool.query<{ salt: string }>('SELECT salt FROM coverage_gap_salt WHERE id = 1');
    return rows[0]!.salt;
  }
}
