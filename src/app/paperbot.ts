import type { AnswerOptions, AnswerResult } from '../answer/answer-types.js';
import type { LoadPapers, PaperEntry } from '../corpus/paper.js';
import type { PaperCatalogue } from '../answer/paper-catalogue.js';
import type { ModelQueueStatus } from '../model/model-queue.js';
import type { FetchAndIngestResult } from '../feeds/fetch-and-ingest.js';
import type { FetchFeedsOptions } from '../feeds/fetch-feeds.js';
import type { SearchOptions, SearchResponse } from '../retrieval/search-types.js';
import type { ClaimCheck } from '../verify/check-claims.js';
import type { CheckAnswerOptions } from '../verify/verify-answer.js';
import type { ConsensusResult } from '../verify/assess-consensus.js';
import type { CatchUpExchange } from '../catchup/catch-up.js';
import type { ModelCatchUp } from '../catchup/summarize-with-model.js';

export type { ModelQueueStatus } from '../model/model-queue.js';

/**
 * Everything the shells (CLI, Discord bot, benchmarks) need, built once by the composition root
 * (`createPaperbot`) and passed down. Free of Discord and of CLI code.
 */
export interface Paperbot {
  /**
   * All papers in the index, in corpus order, as catalogue entries (no abstracts: `loadPapers` has those).
   * A database-backed store reads the list on the first call (ask, search and summarize never need it).
   */
  papers(): Promise<readonly PaperEntry[]>;
  /** The papers of `papers()` by id, and the resolver of paper names over them (read with the list, once). */
  catalogue(): Promise<PaperCatalogue>;
  /** How many papers the index held when the current papers were loaded (no read of the list). */
  paperCount(): number;
  /** The papers of ids the index holds, by id (whole papers: read by id, never the whole list). */
  getPapers(ids: readonly string[]): Promise<ReadonlyMap<string, PaperEntry>>;
  /** The whole papers (with abstracts) of ids, in that order; ids the index does not hold are left out. */
  loadPapers: LoadPapers;
  search(query: string, options?: SearchOptions): Promise<SearchResponse>;
  ask(question: string, options?: AnswerOptions): Promise<AnswerResult>;
  compare(paperA: string, paperB: string, options?: AnswerOptions): Promise<AnswerResult>;
  summarize(topic: string, options?: AnswerOptions): Promise<AnswerResult>;
  /**
   * Resolve user text (id, exact/fuzzy title, acronym) to one paper; throws UserFacingError
   * (AmbiguousPaperError / unknown / too long: over MAX_PAPER_NAME_CHARS). Bounded work per call.
   */
  resolvePaper(input: string): Promise<PaperEntry>;
  /** Title matches for autocomplete from the first SUGGEST_INPUT_CHARS characters, best first; bounded work per call (about a millisecond once the list is read). */
  suggestPapers(input: string, limit?: number): Promise<PaperEntry[]>;
  /**
   * The claim check of an answer text against its numbered sources (`{ n, id }`, as stored with an answer),
   * with the configured verifier; undefined when VERIFY_CLAIMS=off. Answers from ask/compare/summarize
   * already carry theirs (`claimCheck`).
   */
  checkAnswer(answer: string, sources: readonly { n: number; id: string }[], options?: CheckAnswerOptions): Promise<ClaimCheck | undefined>;
  /**
   * "Do the papers agree that <claim>?": the relevant papers' stances with evidence, and a synthesis
   * (stances "not judged" without a model). UserFacingError when the corpus has nothing relevant.
   */
  consensus(claim: string, options?: { signal?: AbortSignal }): Promise<ConsensusResult>;
  /**
   * A thread's catch-up written by the model, in chunks within HISTORY_TOKEN_BUDGET; undefined when no
   * model is configured (the caller then summarises extractively). Throws when the model fails.
   */
  catchUpThread(exchanges: readonly CatchUpExchange[]): Promise<ModelCatchUp | undefined>;
  /** True when a language model is configured. */
  readonly llmEnabled: boolean;
  /**
   * Catch up with the paper index when another process (or this one) changed it since it was loaded:
   * the new papers are swapped in, requests already running finish on the old ones. Cheap when
   * nothing changed (search/ask/compare/summarize do it themselves). True when new papers were loaded.
   */
  refreshIndex(): Promise<boolean>;
  /** The version (index generation) of the papers served now. */
  indexVersion(): string;
  /**
   * Pull the feeds, merge what is new into the corpus and index it (as `paperbot ingest` does), then
   * serve it. Feed faults are in the result's summary, never thrown.
   */
  fetchFeeds(options: FetchFeedsOptions & { dryRun?: boolean }): Promise<FetchAndIngestResult>;
  /** Load of the shared model-call queue, for "busy — you are number 3 in line". */
  modelQueue(): ModelQueueStatus;
  close(): Promise<void>;
}
