import type { AnswerOptions, AnswerResult } from '../answer/answer-types.js';
import type { Paper } from '../corpus/paper.js';
import type { ModelQueueStatus } from '../model/model-queue.js';
import type { SearchOptions, SearchResponse } from '../retrieval/search-types.js';
import type { CatchUpExchange } from '../catchup/catch-up.js';
import type { ModelCatchUp } from '../catchup/summarize-with-model.js';

export type { ModelQueueStatus } from '../model/model-queue.js';

/**
 * Everything the shells (CLI, Discord bot, benchmarks) need, built once by the composition root
 * (`createPaperbot`) and passed down. Free of Discord and of CLI code.
 */
export interface Paperbot {
  /** All papers in the index, in corpus order. */
  papers(): readonly Paper[];
  getPaper(id: string): Paper | undefined;
  search(query: string, options?: SearchOptions): Promise<SearchResponse>;
  ask(question: string, options?: AnswerOptions): Promise<AnswerResult>;
  compare(paperA: string, paperB: string, options?: AnswerOptions): Promise<AnswerResult>;
  summarize(topic: string, options?: AnswerOptions): Promise<AnswerResult>;
  /**
   * Resolve user text (id, exact/fuzzy title, acronym) to one paper; throws UserFacingError
   * (AmbiguousPaperError / unknown / too long: over MAX_PAPER_NAME_CHARS). Bounded work per call.
   */
  resolvePaper(input: string): Paper;
  /** Title matches for autocomplete from the first SUGGEST_INPUT_CHARS characters, best first; bounded work per call (about a millisecond). */
  suggestPapers(input: string, limit?: number): Paper[];
  /**
   * A thread's catch-up written by the model, in chunks within HISTORY_TOKEN_BUDGET; undefined when no
   * model is configured (the caller then summarises extractively). Throws when the model fails.
   */
  catchUpThread(exchanges: readonly CatchUpExchange[]): Promise<ModelCatchUp | undefined>;
  /** True when a language model is configured. */
  readonly llmEnabled: boolean;
  /** Load of the shared model-call queue, for "busy — you are number 3 in line". */
  modelQueue(): ModelQueueStatus;
  close(): Promise<void>;
}
