import type pg from 'pg';
import type { ClaimResult } from '../digest-store.js';
import type { FetchRunClaim, FetchRunOutcome, FetchRunRecord, FetchRunStore } from '../fetch-run-store.js';

interface Row {
  run_key: string;
  status: 'running' | 'done';
  started_at: string | number;
  finished_at: string | number | null;
  outcome: FetchRunOutcome | null;
}

const COLUMNS = 'run_key, status, started_at, finished_at, outcome';
const MAX_CLAIM_ATTEMPTS = 3;

function toRecord(row: Row): FetchRunRecord {
  return { runKey: row.run_key, status: row.status, startedAt: Number(row.started_at), finishedAt: row.finished_at === null ? null : Number(row.finished_at), outcome: row.outcome };
}

/** FetchRunStore in PostgreSQL: a claim is one atomic upsert on the slot's key, so one process fetches. */
export class PostgresFetchRunStore implements FetchRunStore {
  constructor(private readonly pool: pg.Pool) {}

  async claimRun(claim: FetchRunClaim): Promise<ClaimResult> {
    const leaseUntil = claim.at + claim.leaseMs;
    for (let attempt = 1; ; attempt++) {
      const claimed = await this.pool.query(
        `INSERT INTO fetch_runs (run_key, status, started_at, claimed_by, lease_until) VALUES ($1, 'running', $2, $3, $4)
         ON CONFLICT (run_key) DO UPDATE SET claimed_by = excluded.claimed_by, lease_until = excluded.lease_until, started_at = excluded.started_at
         WHERE fetch_runs.status = 'running' AND (fetch_runs.lease_until IS NULL OR fetch_runs.lease_until <= $2)
         RETURNING run_key`,
        [claim.runKey, claim.at, claim.owner, leaseUntil],
      );
      if (claimed.rowCount) return { claimed: true };
      const { rows } = await this.pool.query<{ status: Row['status']; lease_until: string | null }>('SELECT status, lease_until FROM fetch_runs WHERE run_key = $1', [claim.runKey]);
      const row = rows[0];
      if (row?.status === 'done') return { claimed: false, reason: 'posted' };
      if (row) return { claimed: false, reason: 'held', leaseUntil: Number(row.lease_until ?? leaseUntil) };
      if (attempt >= MAX_CLAIM_ATTEMPTS) return { claimed: false, reason: 'held', leaseUntil };
    }
  }

  async renewClaim(runKey: string, owner: string, leaseUntil: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE fetch_runs SET lease_until = $1 WHERE run_key = $2 AND claimed_by = $3 AND status = 'running'`, [leaseUntil, runKey, owner]);
    return rowCount === 1;
  }

  async completeRun(runKey: string, owner: string, outcome: FetchRunOutcome, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE fetch_runs SET status = 'done', finished_at = $1, outcome = $2, clean = $3, lease_until = NULL WHERE run_key = $4 AND claimed_by = $5 AND status = 'running'`,
      [at, JSON.stringify(outcome), outcome.failedFeeds.length === 0, runKey, owner],
    );
    return rowCount === 1;
  }

  async abandonRun(runKey: string, owner: string): Promise<void> {
    await this.pool.query(`DELETE FROM fetch_runs WHERE run_key = $1 AND claimed_by = $2 AND status = 'running'`, [runKey, owner]);
  }

  async completedRunsSince(at: number): Promise<FetchRunRecord[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM fetch_runs WHERE status = 'done' AND finished_at >= $1 ORDER BY finished_at, run_key`, [at]);
    return rows.map(toRecord);
  }

  async lastCleanRun(): Promise<FetchRunRecord | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM fetch_runs WHERE status = 'done' AND clean ORDER BY finished_at DESC, run_key DESC LIMIT 1`);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }
}
