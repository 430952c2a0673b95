import type pg from 'pg';
import type { ClaimResult, CompletedRun, DigestDraft, DigestRunKind, DigestRunRecord, DigestStore, NewDigestDraft, RunClaim } from '../digest-store.js';
import { toDraft, toRunRecord, type DraftRow, type PartRow, type RunRow } from '../state-rows.js';
import { withTransaction } from './with-transaction.js';

const RUN_COLUMNS = 'run_key, kind, scheduled_for, status, topic, channel_id, message_id, paper_ids, created_at, posted_at';
/** A claim that finds its run gone between its two statements (abandoned meanwhile) tries again, this often at most. */
const MAX_CLAIM_ATTEMPTS = 3;

/** DigestStore in PostgreSQL: a claim is one atomic upsert on the run's unique key, so one process wins. */
export class PostgresDigestStore implements DigestStore {
  constructor(private readonly pool: pg.Pool) {}

  async claimRun(claim: RunClaim): Promise<ClaimResult> {
    const leaseUntil = claim.at + claim.leaseMs;
    for (let attempt = 1; ; attempt++) {
      // A new run is inserted; an existing one is taken over only while posting and with its lease expired.
      const claimed = await this.pool.query(
        `INSERT INTO digest_runs (run_key, kind, scheduled_for, status, created_at, claimed_by, lease_until)
         VALUES ($1, $2, $3, 'posting', $4, $5, $6)
         ON CONFLICT (run_key) DO UPDATE SET claimed_by = excluded.claimed_by, lease_until = excluded.lease_until
         WHERE digest_runs.status = 'posting' AND (digest_runs.lease_until IS NULL OR digest_runs.lease_until <= $4)
         RETURNING run_key`,
        [claim.runKey, claim.kind, claim.scheduledFor, claim.at, claim.owner, leaseUntil],
      );
      if (claimed.rowCount) return { claimed: true };
      const { rows } = await this.pool.query<{ status: 'posting' | 'posted'; lease_until: number }>('SELECT status, lease_until FROM digest_runs WHERE run_key = $1', [
        claim.runKey,
      ]);
      const row = rows[0];
      if (row?.status === 'posted') return { claimed: false, reason: 'posted' };
      if (row) return { claimed: false, reason: 'held', leaseUntil: row.lease_until };
      if (attempt >= MAX_CLAIM_ATTEMPTS) return { claimed: false, reason: 'held', leaseUntil };
    }
  }

  async renewClaim(runKey: string, owner: string, leaseUntil: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE digest_runs SET lease_until = $1 WHERE run_key = $2 AND claimed_by = $3 AND status = 'posting'`, [
      leaseUntil,
      runKey,
      owner,
    ]);
    return rowCount === 1;
  }

  async completeRun(runKey: string, owner: string, done: CompletedRun, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE digest_runs SET status = 'posted', topic = $1, channel_id = $2, message_id = $3, paper_ids = $4, posted_at = $5, lease_until = NULL
       WHERE run_key = $6 AND claimed_by = $7 AND status = 'posting'`,
      [done.topic, done.channelId, done.messageId, JSON.stringify(done.paperIds), at, runKey, owner],
    );
    return rowCount === 1;
  }

  async abandonRun(runKey: string, owner: string): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      const released = await client.query(`DELETE FROM digest_runs WHERE run_key = $1 AND claimed_by = $2 AND status = 'posting'`, [runKey, owner]);
      if (!released.rowCount) return;
      const posted = await client.query('SELECT 1 FROM digest_parts WHERE run_key = $1 AND posted_at IS NOT NULL LIMIT 1', [runKey]);
      if (!posted.rowCount) await client.query('DELETE FROM digest_drafts WHERE run_key = $1', [runKey]);
    });
  }

  async saveDraft(draft: NewDigestDraft, at: number): Promise<DigestDraft> {
    await withTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO digest_drafts (run_key, kind, topic, topic_index, channel_id, paper_ids, new_count, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [draft.runKey, draft.kind, draft.topic, draft.topicIndex, draft.channelId, JSON.stringify(draft.paperIds), draft.newCount, at],
      );
      for (const [index, payload] of draft.payloads.entries()) {
        await client.query('INSERT INTO digest_parts (run_key, part_index, payload) VALUES ($1, $2, $3)', [draft.runKey, index, JSON.stringify(payload)]);
      }
    });
    return (await this.getDraft(draft.runKey)) as DigestDraft;
  }

  async getDraft(runKey: string): Promise<DigestDraft | undefined> {
    const { rows } = await this.pool.query<DraftRow>('SELECT * FROM digest_drafts WHERE run_key = $1', [runKey]);
    const row = rows[0];
    if (!row) return undefined;
    const parts = await this.pool.query<PartRow>('SELECT part_index, payload, message_id, posted_at FROM digest_parts WHERE run_key = $1 ORDER BY part_index', [runKey]);
    return toDraft(row, parts.rows);
  }

  async markPartPosted(runKey: string, index: number, messageId: string | null, at: number): Promise<void> {
    await this.pool.query('UPDATE digest_parts SET message_id = $1, posted_at = $2 WHERE run_key = $3 AND part_index = $4', [messageId, at, runKey, index]);
  }

  async unfinishedDraft(kind: DigestRunKind): Promise<DigestDraft | undefined> {
    const { rows } = await this.pool.query<{ run_key: string }>(
      `SELECT d.run_key FROM digest_drafts d LEFT JOIN digest_runs r ON r.run_key = d.run_key
       WHERE d.kind = $1 AND (r.status IS NULL OR r.status <> 'posted') ORDER BY d.created_at, d.seq LIMIT 1`,
      [kind],
    );
    return rows[0] ? this.getDraft(rows[0].run_key) : undefined;
  }

  async getRun(runKey: string): Promise<DigestRunRecord | undefined> {
    const { rows } = await this.pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM digest_runs WHERE run_key = $1`, [runKey]);
    return rows[0] ? toRunRecord(rows[0]) : undefined;
  }

  async lastPostedRun(): Promise<DigestRunRecord | undefined> {
    const { rows } = await this.pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM digest_runs WHERE status = 'posted' ORDER BY posted_at DESC, seq DESC LIMIT 1`);
    return rows[0] ? toRunRecord(rows[0]) : undefined;
  }

  async postedRuns(): Promise<DigestRunRecord[]> {
    const { rows } = await this.pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM digest_runs WHERE status = 'posted' ORDER BY posted_at, seq`);
    return rows.map(toRunRecord);
  }
}
