import type { ClaimResult, CompletedRun, DigestDraft, DigestRunKind, DigestRunRecord, DigestStore, NewDigestDraft, RunClaim } from '../digest-store.js';
import { parseJsonColumn, toDraft, toRunRecord, type DraftRow, type PartRow, type RunRow } from '../state-rows.js';
import type { StateDatabase } from './open-state-database.js';

/** digest_runs as SQLite returns it (paper ids as JSON text). */
type SqliteRunRow = Omit<RunRow, 'paper_ids'> & { paper_ids: string | null };

function toRecord(row: SqliteRunRow): DigestRunRecord {
  return toRunRecord({ ...row, paper_ids: row.paper_ids ? parseJsonColumn<string[]>(row.paper_ids) : null });
}

/** DigestStore in the SQLite state database (documented on the interface). */
export class SqliteDigestStore implements DigestStore {
  constructor(private readonly db: StateDatabase) {}

  async claimRun(claim: RunClaim): Promise<ClaimResult> {
    // IMMEDIATE: read and write under the write lock, so two processes cannot both claim.
    return this.db
      .transaction((): ClaimResult => {
        const row = this.db.prepare('SELECT status, lease_until FROM digest_runs WHERE run_key = ?').get(claim.runKey) as
          | { status: 'posting' | 'posted'; lease_until: number | null }
          | undefined;
        const leaseUntil = claim.at + claim.leaseMs;
        if (!row) {
          this.db
            .prepare(`INSERT INTO digest_runs (run_key, kind, scheduled_for, status, created_at, claimed_by, lease_until) VALUES (?, ?, ?, 'posting', ?, ?, ?)`)
            .run(claim.runKey, claim.kind, claim.scheduledFor, claim.at, claim.owner, leaseUntil);
          return { claimed: true };
        }
        if (row.status === 'posted') return { claimed: false, reason: 'posted' };
        if (row.lease_until !== null && row.lease_until > claim.at) return { claimed: false, reason: 'held', leaseUntil: row.lease_until };
        this.db.prepare('UPDATE digest_runs SET claimed_by = ?, lease_until = ? WHERE run_key = ?').run(claim.owner, leaseUntil, claim.runKey);
        return { claimed: true };
      })
      .immediate();
  }

  async renewClaim(runKey: string, owner: string, leaseUntil: number): Promise<boolean> {
    const result = this.db.prepare(`UPDATE digest_runs SET lease_until = ? WHERE run_key = ? AND claimed_by = ? AND status = 'posting'`).run(leaseUntil, runKey, owner);
    return result.changes === 1;
  }

  async completeRun(runKey: string, owner: string, done: CompletedRun, at: number): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE digest_runs SET status = 'posted', topic = ?, channel_id = ?, message_id = ?, paper_ids = ?, posted_at = ?, lease_until = NULL
         WHERE run_key = ? AND claimed_by = ? AND status = 'posting'`,
      )
      .run(done.topic, done.channelId, done.messageId, JSON.stringify(done.paperIds), at, runKey, owner);
    return result.changes === 1;
  }

  async abandonRun(runKey: string, owner: string): Promise<void> {
    this.db
      .transaction(() => {
        const released = this.db.prepare(`DELETE FROM digest_runs WHERE run_key = ? AND claimed_by = ? AND status = 'posting'`).run(runKey, owner).changes;
        if (released === 0) return;
        if (!this.db.prepare('SELECT 1 FROM digest_parts WHERE run_key = ? AND posted_at IS NOT NULL').get(runKey)) {
          this.db.prepare('DELETE FROM digest_parts WHERE run_key = ?').run(runKey);
          this.db.prepare('DELETE FROM digest_drafts WHERE run_key = ?').run(runKey);
        }
      })
      .immediate();
  }

  async saveDraft(draft: NewDigestDraft, at: number): Promise<DigestDraft> {
    this.db
      .transaction(() => {
        this.db
          .prepare(`INSERT INTO digest_drafts (run_key, kind, topic, topic_index, channel_id, paper_ids, new_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(draft.runKey, draft.kind, draft.topic, draft.topicIndex, draft.channelId, JSON.stringify(draft.paperIds), draft.newCount, at);
        const insert = this.db.prepare('INSERT INTO digest_parts (run_key, part_index, payload) VALUES (?, ?, ?)');
        draft.payloads.forEach((payload, index) => insert.run(draft.runKey, index, JSON.stringify(payload)));
      })
      .immediate();
    return this.readDraft(draft.runKey) as DigestDraft;
  }

  async getDraft(runKey: string): Promise<DigestDraft | undefined> {
    return this.readDraft(runKey);
  }

  async markPartPosted(runKey: string, index: number, messageId: string | null, at: number): Promise<void> {
    this.db.prepare('UPDATE digest_parts SET message_id = ?, posted_at = ? WHERE run_key = ? AND part_index = ?').run(messageId, at, runKey, index);
  }

  async unfinishedDraft(kind: DigestRunKind): Promise<DigestDraft | undefined> {
    const row = this.db
      .prepare(
        `SELECT d.run_key FROM digest_drafts d LEFT JOIN digest_runs r ON r.run_key = d.run_key
         WHERE d.kind = ? AND (r.status IS NULL OR r.status <> 'posted') ORDER BY d.created_at, d.rowid LIMIT 1`,
      )
      .get(kind) as { run_key: string } | undefined;
    return row ? this.readDraft(row.run_key) : undefined;
  }

  async getRun(runKey: string): Promise<DigestRunRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM digest_runs WHERE run_key = ?').get(runKey) as SqliteRunRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  async lastPostedRun(): Promise<DigestRunRecord | undefined> {
    const row = this.db.prepare(`SELECT * FROM digest_runs WHERE status = 'posted' ORDER BY posted_at DESC, rowid DESC LIMIT 1`).get() as SqliteRunRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  async postedRuns(): Promise<DigestRunRecord[]> {
    return (this.db.prepare(`SELECT * FROM digest_runs WHERE status = 'posted' ORDER BY posted_at, rowid`).all() as SqliteRunRow[]).map(toRecord);
  }

  private readDraft(runKey: string): DigestDraft | undefined {
    const row = this.db.prepare('SELECT * FROM digest_drafts WHERE run_key = ?').get(runKey) as (Omit<DraftRow, 'paper_ids'> & { paper_ids: string }) | undefined;
    if (!row) return undefined;
    const parts = this.db.prepare('SELECT part_index, payload, message_id, posted_at FROM digest_parts WHERE run_key = ? ORDER BY part_index').all(runKey) as (PartRow & { payload: string })[];
    return toDraft(
      { ...row, paper_ids: parseJsonColumn<string[]>(row.paper_ids) },
      parts.map((part) => ({ ...part, payload: parseJsonColumn<unknown>(part.payload) })),
    );
  }
}
