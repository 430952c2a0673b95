import type { AnswerSource } from '../answer/answer-types.js';
import type { DigestDraft, DigestPart, DigestRunKind, DigestRunRecord } from './digest-store.js';
import type { ExpectedPaperRow, FeedbackRow, StoredAnswer, Vote } from './feedback-store.js';
import type { CoverageGap } from './gap-store.js';

// The rows of the state tables (same columns in SQLite and PostgreSQL), JSON columns already decoded,
// and their mapping to the store interfaces' records.

export interface RunRow {
  run_key: string;
  kind: DigestRunKind;
  scheduled_for: number | null;
  status: 'posting' | 'posted';
  topic: string | null;
  channel_id: string | null;
  message_id: string | null;
  paper_ids: string[] | null;
  created_at: number;
  posted_at: number | null;
}

export function toRunRecord(row: RunRow): DigestRunRecord {
  return {
    runKey: row.run_key,
    kind: row.kind,
    scheduledFor: row.scheduled_for,
    status: row.status,
    topic: row.topic,
    channelId: row.channel_id,
    messageId: row.message_id,
    paperIds: row.paper_ids,
    createdAt: row.created_at,
    postedAt: row.posted_at,
  };
}

export interface DraftRow {
  run_key: string;
  kind: DigestRunKind;
  topic: string;
  topic_index: number;
  channel_id: string;
  paper_ids: string[];
  new_count: number;
  created_at: number;
}

export interface PartRow {
  part_index: number;
  payload: unknown;
  message_id: string | null;
  posted_at: number | null;
}

export function toDraft(row: DraftRow, parts: readonly PartRow[]): DigestDraft {
  return {
    runKey: row.run_key,
    kind: row.kind,
    topic: row.topic,
    topicIndex: row.topic_index,
    channelId: row.channel_id,
    paperIds: row.paper_ids,
    newCount: row.new_count,
    createdAt: row.created_at,
    parts: parts.map((part): DigestPart => ({ index: part.part_index, payload: part.payload, messageId: part.message_id, postedAt: part.posted_at })),
  };
}

export interface VoteRow {
  answer_id: string;
  user_id: string;
  vote: Vote;
  question: string;
  answer: string;
  sources: AnswerSource[];
  created_at: number;
}

export function toFeedbackRow(row: VoteRow): FeedbackRow {
  return {
    answerId: row.answer_id,
    userId: row.user_id,
    vote: row.vote,
    question: row.question,
    answer: row.answer,
    sources: row.sources,
    votedAt: new Date(row.created_at).toISOString(),
  };
}

export interface AnswerRow {
  answer_id: string;
  question: string;
  answer: string;
  sources: AnswerSource[];
  mode: 'llm' | 'extractive';
  user_id: string | null;
  channel_id: string | null;
  created_at: number | string;
}

export function toStoredAnswer(row: AnswerRow): StoredAnswer {
  const stored: StoredAnswer = { answerId: row.answer_id, question: row.question, answer: row.answer, sources: row.sources, mode: row.mode, shownAt: Number(row.created_at) };
  if (row.user_id !== null) stored.userId = row.user_id;
  if (row.channel_id !== null) stored.channelId = row.channel_id;
  return stored;
}

export interface GapRow {
  question: string;
  asked_at: number | string;
  guild_id: string | null;
  user_hash: string;
  reason: CoverageGap['reason'];
  command: string;
}

export function toCoverageGap(row: GapRow): CoverageGap {
  return { question: row.question, askedAt: Number(row.asked_at), guildId: row.guild_id, userHash: row.user_hash, reason: row.reason, command: row.command };
}

/** Chosen papers whose voter's vote is still 👎, with the question (same SQL in SQLite and PostgreSQL). */
export const EXPECTED_PAPERS_SQL = `
  SELECT e.answer_id, e.user_id, a.question, e.paper_id, e.title, e.created_at
  FROM feedback_expected e
  JOIN answers a ON a.answer_id = e.answer_id
  JOIN feedback f ON f.answer_id = e.answer_id AND f.user_id = e.user_id AND f.vote = 'down'
  ORDER BY e.created_at, e.answer_id, e.user_id`;

/** Every vote with its answer's command. */
export const VOTE_STATS_SQL = `
  SELECT a.command, f.vote, f.created_at FROM feedback f LEFT JOIN answers a ON a.answer_id = f.answer_id ORDER BY f.created_at`;

export interface ExpectedRow {
  answer_id: string;
  user_id: string;
  question: string;
  paper_id: string;
  title: string;
  created_at: number | string;
}

export function toExpectedPaperRow(row: ExpectedRow): ExpectedPaperRow {
  return { answerId: row.answer_id, userId: row.user_id, question: row.question, paperId: row.paper_id, title: row.title, chosenAt: new Date(Number(row.created_at)).toISOString() };
}

/** A JSON text column (SQLite keeps JSON as text) decoded. */
export function parseJsonColumn<T>(text: string): T {
  return JSON.parse(text) as T;
}

