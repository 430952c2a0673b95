import { randomUUID } from 'node:crypto';
import type { NewWatch, Watch, WatchScope, WatchStore } from '../watch-store.js';
import type { StateDatabase } from './open-state-database.js';

interface Row {
  id: string;
  scope: WatchScope;
  target_id: string;
  subscriber_id: string;
  topic: string;
  created_at: number;
}

const COLUMNS = 'id, scope, target_id, subscriber_id, topic, created_at';

function toWatch(row: Row): Watch {
  return { id: row.id, scope: row.scope, targetId: row.target_id, subscriberId: row.subscriber_id, topic: row.topic, createdAt: row.created_at };
}

/** WatchStore in the SQLite state database (documented on the interface). */
export class SqliteWatchStore implements WatchStore {
  constructor(private readonly db: StateDatabase) {}

  async add(watch: NewWatch, at: number): Promise<{ added: boolean; watch: Watch }> {
    const id = randomUUID();
    const inserted = this.db
      .prepare(`INSERT INTO watches (id, scope, target_id, subscriber_id, topic, topic_key, created_at) VALUES (?, ?, ?, ?, ?, lower(?), ?) ON CONFLICT (scope, target_id, topic_key) DO NOTHING`)
      .run(id, watch.scope, watch.targetId, watch.subscriberId, watch.topic, watch.topic, at).changes;
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM watches WHERE scope = ? AND target_id = ? AND topic_key = lower(?)`).get(watch.scope, watch.targetId, watch.topic) as Row;
    return { added: inserted === 1, watch: toWatch(row) };
  }

  async remove(scope: WatchScope, targetId: string, topic: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM watches WHERE scope = ? AND target_id = ? AND topic_key = lower(?)').run(scope, targetId, topic).changes === 1;
  }

  async list(scope: WatchScope, targetId: string): Promise<Watch[]> {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM watches WHERE scope = ? AND target_id = ? ORDER BY created_at, id`).all(scope, targetId) as Row[]).map(toWatch);
  }

  async all(): Promise<Watch[]> {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM watches ORDER BY created_at, id`).all() as Row[]).map(toWatch);
  }

  async claimNotice(watchId: string, runKey: string, at: number): Promise<boolean> {
    return this.db.prepare('INSERT INTO watch_notices (watch_id, run_key, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(watchId, runKey, at).changes === 1;
  }
}
