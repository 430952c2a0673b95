import type { ClaimResult } from '../digest-store.js';
import type { FetchRunClaim, FetchRunOutcome, FetchRunRecord, FetchRunStore } from '../fetch-run-store.js';
import { parseJsonColumn } from '../state-rows.js';
import type { StateDatabase } from './open-state-database.js';

interface Row {
  run_key: string;
  status: 'running' | 'done';
  started_at: number;
  finished_at: number | null;
  outcome: string | null;
}

const COLUMNS = 'run_key, status, started_at, finished_at, outcome';

function toRecord(row: Row): FetchRunRecord {
  return { runKey: row.run_key, status: row.status, startedAt: row.started_at, finishedAt: row.finished_at, outcome: row.outcome ? parseJsonColumn<FetchRunOutcome>(row.outcome) : null };
}

/** FetchRunStore in the SQLite state database (documented on the interface). */
export class SqliteFetchRunStore implements FetchRunStore {
  constructor(private readonly db: StateDatabase) {}

  async claimRun(claim: FetchRunClaim): Promise<ClaimResult> {
    return this.db
      .transaction((): ClaimResult => {
        const row = this.db.prepare('SELECT status, lease_until FROM fetch_runs WHERE run_key = ?').get(claim.runKey) as { status: Row['status']; lease_until: number | null } | undefined;
        const leaseUntil = claim.at + claim.leaseMs;
        if (!row) {
          this.db.prepare(`INSERT INTO fetch_runs (run_key, status, started_at, claimed_by, lease_until) VALUES (?, 'running', ?, ?, ?)`).run(claim.runKey, claim.at, claim.owner, leaseUntil);
          return { claimed: true };
        }
        if (row.status === 'done') return { claimed: false, reason: 'posted' };
        if (row.lease_until !== null && row.lease_until > claim.at) return { claimed: false, reason: 'held', leaseUntil: row.lease_until };
        this.db.prepare('UPDATE fetch_runs SET claimed_by = ?, lease_until = ?, started_at = ? WHERE run_key = ?').run(claim.owner, leaseUntil, claim.at, claim.runKey);
        return { claimed: true };
      })
      .immediate();
  }

  async renewClaim(runKey: string, owner: string, leaseUntil: number): Promise<boolean> {
    return this.db.prepare(`UPDATE fetch_runs SET lease_until = ? WHERE run_key = ? AND claimed_by = ? AND status = 'running'`).run(leaseUntil, runKey, owner).changes === 1;
  }

  async completeRun(runKey: string, owner: string, outcome: FetchRunOutcome, at: number): Promise<boolean> {
    const clean = outcome.failedFeeds.length === 0 ? 1 : 0;
    const result = this.db
      .prepare(`UPDATE fetch_runs SET status = 'done', finished_at = ?, outcome = ?, clean = ?, lease_until = NULL WHERE run_key = ? AND claimed_by = ? AND status = 'running'`)
      .run(at, JSON.stringify(outcome), clean, runKey, owner);
    return result.changes === 1;
  }

  async abandonRun(runKey: string, owner: string): Promise<void> {
    this.db.prepare(`DELETE FROM fetch_runs WHERE run_key = ? AND claimed_by = ? AND status = 'running'`).run(runKey, owner);
  }

  async completedRunsSince(at: number): Promise<FetchRunRecord[]> {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM fetch_runs WHERE status = 'done' AND finished_at >= ? ORDER BY finished_at, run_key`).all(at) as Row[];
    return rows.map(toRecord);
  }

  async lastCleanRun(): Promise<FetchRunRecord | undefined> {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM fetch_runs WHERE status = 'done' AND clean = 1 ORDER BY finished_at DESC, run_key DESC LIMIT 1`).get() as Row | undefined;
    return row ? toRecord(row) : undefined;
  }
}
