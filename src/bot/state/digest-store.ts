import type { BotMessagePayload } from '../format-answer.js';
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

/** One message of a composed digest; `postedAt` is set once Discord accepted it. */
export interface DigestPart {
  index: number;
  payload: BotMessagePayload;
  messageId: string | null;
  postedAt: number | null;
}

/** A run's composed digest, kept until every part is posted (and after, as a record of the message ids). */
export interface DigestDraft {
  runKey: string;
  kind: 'scheduled' | 'manual';
  topic: string;
  topicIndex: number;
  channelId: string;
  paperIds: string[];
  newCount: number;
  createdAt: number;
  parts: DigestPart[];
}

interface DraftRow {
  run_key: string;
  kind: 'scheduled' | 'manual';
  topic: string;
  topic_index: number;
  channel_id: string;
  paper_ids: string;
  new_count: number;
  created_at: number;
}

interface PartRow {
  part_index: number;
  payload: string;
  message_id: string | null;
  posted_at: number | null;
}

export interface RunClaim {
  runKey: string;
  kind: 'scheduled' | 'manual';
  scheduledFor: number | null;
  /** Who claims (one id per running digest service). */
  owner: string;
  at: number;
  leaseMs: number;
}

export type ClaimResult = { claimed: true } | { claimed: false; reason: 'posted' } | { claimed: false; reason: 'held'; leaseUntil: number };

/** Digest runs: claimed before posting (so two triggers never post twice), completed after. */
export class DigestStore {
  constructor(private readonly db: StateDatabase) {}

  /**
   * Claim a run for `owner` until `at + leaseMs`: a new run, or one whose claim expired (its owner died
   * mid-post). A run posted, or claimed by a live owner (lease not expired), is not claimed.
   */
  claimRun(claim: RunClaim): ClaimResult {
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

  /** Extend the owner's lease; false when the claim is no longer the owner's (taken over after it expired). */
  renewClaim(runKey: string, owner: string, leaseUntil: number): boolean {
    return (
      this.db.prepare(`UPDATE digest_runs SET lease_until = ? WHERE run_key = ? AND claimed_by = ? AND status = 'posting'`).run(leaseUntil, runKey, owner).changes === 1
    );
  }

  /** Mark the owner's run posted; false when the claim was no longer the owner's. */
  completeRun(runKey: string, owner: string, done: { topic: string; channelId: string; messageId: string | null; paperIds: string[] }, at: number): boolean {
    const result = this.db
      .prepare(
        `UPDATE digest_runs SET status = 'posted', topic = ?, channel_id = ?, message_id = ?, paper_ids = ?, posted_at = ?, lease_until = NULL
         WHERE run_key = ? AND claimed_by = ? AND status = 'posting'`,
      )
      .run(done.topic, done.channelId, done.messageId, JSON.stringify(done.paperIds), at, runKey, owner);
    return result.changes === 1;
  }

  /**
   * Give up the owner's claim after a failed post, so a later trigger can try again. The draft is kept
   * when some of its parts were posted (the retry posts only the rest); otherwise it is dropped and recomposed.
   */
  abandonRun(runKey: string, owner: string): void {
    this.db.transaction(() => {
      const released = this.db.prepare(`DELETE FROM digest_runs WHERE run_key = ? AND claimed_by = ? AND status = 'posting'`).run(runKey, owner).changes;
      if (released === 0) return;
      if (!this.db.prepare(`SELECT 1 FROM digest_parts WHERE run_key = ? AND posted_at IS NOT NULL`).get(runKey)) {
        this.db.prepare(`DELETE FROM digest_parts WHERE run_key = ?`).run(runKey);
        this.db.prepare(`DELETE FROM digest_drafts WHERE run_key = ?`).run(runKey);
      }
    })();
  }

  /** Record a run's composed messages (none posted yet); the caller holds the run's claim. */
  saveDraft(draft: Omit<DigestDraft, 'parts' | 'createdAt'> & { payloads: BotMessagePayload[] }, at: number): DigestDraft {
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO digest_drafts (run_key, kind, topic, topic_index, channel_id, paper_ids, new_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(draft.runKey, draft.kind, draft.topic, draft.topicIndex, draft.channelId, JSON.stringify(draft.paperIds), draft.newCount, at);
      const insert = this.db.prepare(`INSERT INTO digest_parts (run_key, part_index, payload) VALUES (?, ?, ?)`);
      draft.payloads.forEach((payload, index) => insert.run(draft.runKey, index, JSON.stringify(payload)));
    })();
    return this.getDraft(draft.runKey) as DigestDraft;
  }

  getDraft(runKey: string): DigestDraft | undefined {
    const row = this.db.prepare('SELECT * FROM digest_drafts WHERE run_key = ?').get(runKey) as DraftRow | undefined;
    if (!row) return undefined;
    const parts = (this.db.prepare('SELECT part_index, payload, message_id, posted_at FROM digest_parts WHERE run_key = ? ORDER BY part_index').all(runKey) as PartRow[]).map(
      (part): DigestPart => ({ index: part.part_index, payload: JSON.parse(part.payload) as BotMessagePayload, messageId: part.message_id, postedAt: part.posted_at }),
    );
    return {
      runKey: row.run_key,
      kind: row.kind,
      topic: row.topic,
      topicIndex: row.topic_index,
      channelId: row.channel_id,
      paperIds: JSON.parse(row.paper_ids) as string[],
      newCount: row.new_count,
      createdAt: row.created_at,
      parts,
    };
  }

  /** Record that one part reached Discord (committed before the next part is sent). */
  markPartPosted(runKey: string, index: number, messageId: string | null, at: number): void {
    this.db.prepare(`UPDATE digest_parts SET message_id = ?, posted_at = ? WHERE run_key = ? AND part_index = ?`).run(messageId, at, runKey, index);
  }

  /** The oldest draft of this kind whose run is not posted yet (a manual digest that failed part-way). */
  unfinishedDraft(kind: 'scheduled' | 'manual'): DigestDraft | undefined {
    const row = this.db
      .prepare(
        `SELECT d.run_key FROM digest_drafts d LEFT JOIN digest_runs r ON r.run_key = d.run_key
         WHERE d.kind = ? AND (r.status IS NULL OR r.status <> 'posted') ORDER BY d.created_at, d.rowid LIMIT 1`,
      )
      .get(kind) as { run_key: string } | undefined;
    return row ? this.getDraft(row.run_key) : undefined;
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
}
