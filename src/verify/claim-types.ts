import type { TokenUsage } from '../model/chat-model.js';

/** A numbered source an answer cites: `[n]` refers to this paper (matches `NumberedSource` and `CitedPaper`). */
export interface ClaimSource {
  n: number;
  paper: { title: string; abstract: string };
}

/** One sentence of an answer and the source numbers it cites (`[1]`, `[1, 2]`, `[1][2]`, `claim[3]`). */
export interface CitedSentence {
  /** The sentence as written in the answer (citations included). */
  text: string;
  /** Valid cited numbers, ascending; empty for a sentence without citations. */
  citations: number[];
  /** Where the sentence lies in the answer: `answer.slice(start, end) === text`. */
  start: number;
  end: number;
}

/**
 * The check of one cited sentence. The field names are a public JSON contract (CLI `--json` `claims`).
 * `score` is the support in 0..1; `evidence` is the best supporting sentence of the cited abstract(s).
 */
export interface ClaimResult {
  text: string;
  citations: number[];
  supported: boolean;
  score: number;
  evidence: string;
}

/** A verifier's judgement of one cited sentence. */
export interface ClaimVerdict {
  supported: boolean;
  score: number;
  evidence: string;
}

/** Judges cited sentences against their sources: one verdict per sentence, in order. */
export interface ClaimVerifier {
  /** `offline` (our own scorer) or `model` (a language model's entailment check). */
  readonly kind: 'offline' | 'model';
  verify(sentences: readonly CitedSentence[], sources: readonly ClaimSource[], options?: { signal?: AbortSignal }): Promise<VerifierOutcome>;
}

export interface VerifierOutcome {
  verdicts: ClaimVerdict[];
  /** Tokens of the model call, when a model was called. */
  usage?: TokenUsage;
  /** Who judged: a model verifier reports `offline` when it fell back to the offline scorer. */
  verifiedBy: 'offline' | 'model';
  /** Why the model was not used (set only on a fallback). */
  fallbackReason?: string;
}
