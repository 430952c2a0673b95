import type { AnswerSource } from '../answer/answer-types.js';
import type { DigestDraft, DigestPart, DigestRunKind, DigestRunRecord } from './digest-store.js';
import type { FeedbackRow, ShownAnswer, Vote } from './feedback-store.js';

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

/** A JSON text column (SQLite keeps JSON as text) decoded. */
export function parseJsonColumn<T>(text: string): T {
  return JSON.parse(text) as T;
}

export interface ShownAnswerRow {
  question: string;
  answer: string;
  sources: AnswerSource[];
  mode: 'llm' | 'extractive';
  user_id: string | null;
  channel_id: string | null;
}

export function toShownAnswer(row: ShownAnswerRow): ShownAnswer {
  return {
    question: row.question,
    answer: row.answer,
    sources: row.sources,
    mode: row.mode,
    ...(row.user_id !== null ? { userId: row.user_id } : {}),
    ...(row.channel_id !== null ? { channelId: row.channel_id } : {}),
  };
}
