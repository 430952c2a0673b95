import type { StateDatabase } from './open-state-database.js';

export interface DigestRunRecord {
  runKey: string;
  kind: 'scheduled' | 'manual';
  scheduledFor: number | null;
  status: 'posting' | 'posted';
  topic: string | null;
  channelId: string | null;
  messageId: string | null;
  paperIds: string[] | null;
  createdAt: number;
  postedAt: number | null;
}

interface Row {
  run_key: string;
  kind: 'scheduled' | 'manual';
  scheduled_for: number | null;
  status: 'posting' | 'posted';
  topic: string | null;
  channel_id: string | null;
  message_id: string | null;
  paper_ids: string | null;
  created_at: number;
  posted_at: number | null;
}

function toRecord(row: Row): DigestRunRecord {
  return {
    runKey: row.run_key,
    kind: row.kind,
    scheduledFor: row.scheduled_for,
    status: row.status,
    topic: row.topic,
    channelId: row.channel_id,
    messageId: row.message_id,
    paperIds: row.paper_ids ? (JSON.parse(row.paper_ids) as string[]) : null,
    createdAt: row.created_at,
    postedAt: row.posted_at,
  };
}

/** Digest runs: claimed before posting (so two triggers never post twice), completed after. */
export class DigestStore {
  constructor(private readonly db: StateDatabase) {}

  /** Claim a run; false when it was already claimed or posted (the caller must not post). */
  claimRun(runKey: string, kind: 'scheduled' | 'manual', scheduledFor: number | null, at: number): boolean {
    const result = this.db
      .prepare(`INSERT OR IGNORE INTO digest_runs (run_key, kind, scheduled_for, status, created_at) VALUES (?, ?, ?, 'posting', ?)`)
      .run(runKey, kind, scheduledFor, at);
    return result.changes === 1;
  }

  completeRun(runKey: string, done: { topic: string; channelId: string; messageId: string | null; paperIds: string[] }, at: number): void {
    this.db
      .prepare(`UPDATE digest_runs SET status = 'posted', topic = ?, channel_id = ?, message_id = ?, paper_ids = ?, posted_at = ? WHERE run_key = ?`)
      .run(done.topic, done.channelId, done.messageId, JSON.stringify(done.paperIds), at, runKey);
  }

  /** Forget a claim whose post failed, so a later trigger can try again. */
  abandonRun(runKey: string): void {
    this.db.prepare(`DELETE FROM digest_runs WHERE run_key = ? AND status = 'posting'`).run(runKey);
  }

  getRun(runKey: string): DigestRunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM digest_runs WHERE run_key = ?').get(runKey) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The most recent posted run (scheduled or manual), for "new since the last digest". */
  lastPostedRun(): DigestRunRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM digest_runs WHERE status = 'posted' ORDER BY posted_at DESC, rowid DESC LIMIT 1`).get() as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  postedRuns(): DigestRunRecord[] {
    return (this.db.prepare(`SELECT * FROM digest_runs WHERE status = 'posted' ORDER BY posted_at, rowid`).all() as Row[]).map(toRecord);
  }

  /**
   * Claims left in 'posting' by a crash: on start-up they are released, so the run is retried
   * (a crash between Discord's accept and our commit may then post twice — the rarer, lesser harm
   * than silently skipping a week).
   */
  releaseStaleClaims(): number {
    return this.db.prepare(`DELETE FROM digest_runs WHERE status = 'posting'`).run().changes;
  }
}
