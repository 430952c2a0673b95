import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { NewWatch, Watch, WatchScope, WatchStore } from '../watch-store.js';

interface Row {
  id: string;
  scope: WatchScope;
  target_id: string;
  subscriber_id: string;
  topic: string;
  created_at: string | number;
}

const COLUMNS = 'id, scope, target_id, subscriber_id, topic, created_at';

function toWatch(row: Row): Watch {
  return { id: row.id, scope: row.scope, targetId: row.target_id, subscriberId: row.subscriber_id, topic: row.topic, createdAt: Number(row.created_at) };
}

/** WatchStore in PostgreSQL: uniqueness and notice claims are single atomic statements. */
export class PostgresWatchStore implements WatchStore {
  constructor(private readonly pool: pg.Pool) {}

  async add(watch: NewWatch, at: number): Promise<{ added: boolean; watch: Watch }> {
    const inserted = await this.pool.query(
      `INSERT INTO watches (id, scope, target_id, subscriber_id, topic, topic_key, created_at) VALUES ($1, $2, $3, $4, $5, lower($5), $6) ON CONFLICT (scope, target_id, topic_key) DO NOTHING`,
      [randomUUID(), watch.scope, watch.targetId, watch.subscriberId, watch.topic, at],
    );
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM watches WHERE scope = $1 AND target_id = $2 AND topic_key = lower($3)`, [watch.scope, watch.targetId, watch.topic]);
    return { added: inserted.rowCount === 1, watch: toWatch(rows[0]!) };
  }

  async remove(scope: WatchScope, targetId: string, topic: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM watches WHERE scope = $1 AND target_id = $2 AND topic_key = lower($3)', [scope, targetId, topic]);
    return rowCount === 1;
  }

  async list(scope: WatchScope, targetId: string): Promise<Watch[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM watches WHERE scope = $1 AND target_id = $2 ORDER BY created_at, id`, [scope, targetId]);
    return rows.map(toWatch);
  }

  async all(): Promise<Watch[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM watches ORDER BY created_at, id`);
    return rows.map(toWatch);
  }

  async claimNotice(watchId: string, runKey: string, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('INSERT INTO watch_notices (watch_id, run_key, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [watchId, runKey, at]);
    return rowCount === 1;
  }
}
