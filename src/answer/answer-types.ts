import type { Paper } from '../corpus/paper.js';
import type { TokenUsage } from '../model/chat-model.js';
import type { ClaimCheck } from '../verify/check-claims.js';

/** One numbered source of an answer. Field names are a documented contract (CLI --json). */
export interface AnswerSource {
  n: number;
  id: string;
  title: string;
  url: string;
}

/**
 * The result of ask / compare / summarize. `answer`, `sources`, `mode`, `refused`, `usage` are a
 * documented contract (the CLI's --json output); the other fields are extras.
 */
export interface AnswerResult {
  answer: string;
  sources: AnswerSource[];
  /** `llm`: written by the language model; `extractive`: offline, sentences taken from the abstracts. */
  mode: 'llm' | 'extractive';
  /** True when the corpus had nothing relevant and no answer was attempted. */
  refused: boolean;
  /** Token usage of the model calls for this answer; null when no model was called. */
  usage: TokenUsage | null;
  /** A short note to show with the answer, e.g. why it is extractive ("No language model configured", "The model was unavailable"). */
  notice?: string;
  /** Citations the model made to numbers it was not given, removed from `answer`. */
  removedCitations?: number;
  /** When refused: the nearest papers anyway, so the user sees what the corpus does have. */
  nearest?: AnswerSource[];
  /** The standalone search query used (follow-ups are condensed into one). */
  searchQuery?: string;
  /** Estimated tokens (~chars/4) of the answer prompt sent to the model (system + user message); absent when no model was asked. */
  estimatedPromptTokens?: number;
  /** How many numbered sources the model (or the extractive answer) was given. */
  sourcesGiven?: number;
  /**
   * The claim check of the answer (VERIFY_CLAIMS): each cited sentence judged against its cited abstract(s).
   * Absent when the check is off or the answer has no sources (refusals).
   */
  claimCheck?: ClaimCheck;
}

/** One earlier turn of a conversation (CLI chat session or Discord thread). */
export interface ConversationTurn {
  role: 'user' | 'assistant';
  content: string;
  /** Display name of the speaker, for multi-person threads. */
  author?: string;
}

export interface AnswerOptions {
  /** Earlier turns, oldest first (follow-ups). */
  history?: readonly ConversationTurn[];
  /** Receives the answer text as it streams from the model. */
  onToken?: (delta: string) => void;
  signal?: AbortSignal;
}

/** A paper reference as shown to users when a name is ambiguous or unknown. */
export interface PaperCandidate {
  id: string;
  title: string;
}

export function toCandidate(paper: Pick<Paper, 'id' | 'title'>): PaperCandidate {
  return { id: paper.id, title: paper.title };
}
