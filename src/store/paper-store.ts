import type { NameCandidates } from '../corpus/extract-aliases.js';
import type { Paper } from '../corpus/paper.js';
import type { CandidateSource, LexicalStatistics } from '../retrieval/candidate-source.js';
import type { EmbedderIdentity } from './index-manifest.js';

/** What a store says about the papers it served. */
export interface PaperStoreInfo {
  /** Which kind of store: index files next to the corpus folder, or PostgreSQL (pgvector). */
  backend: 'local' | 'postgres';
  /** The embedder the vectors were made with. */
  embedder: EmbedderIdentity;
  paperCount: number;
  /** When the papers last changed (ISO 8601). */
  updatedAt: string;
  /** Changes whenever the papers change (for the local store: the index generation). */
  version: string;
}

/** The papers as the app searches them, whichever store holds them. */
export interface OpenedPaperStore {
  /** All papers, in corpus order. */
  papers: readonly Paper[];
  /** Each paper's name candidates where the store kept them (extracted at ingest), by position; the others are extracted when the papers are loaded. */
  nameCandidates?: readonly (NameCandidates | undefined)[];
  /** Document frequencies of the terms of titles and abstracts (BM25's statistics). */
  lexical: LexicalStatistics;
  /** The lexical (BM25) and dense (cosine) top-k of a query. */
  candidates: CandidateSource;
  info: PaperStoreInfo;
  /** Release what the store holds open (database connections). */
  close(): Promise<void>;
}

/** Where the papers are kept. What createPaperbot needs of it: the current papers, ready to search. */
export interface PaperStore {
  open(): Promise<OpenedPaperStore>;
  /**
   * The version of the papers the store holds now (what `info.version` would say), cheap enough to ask
   * before every request. Absent: the store never changes under a running process.
   */
  currentVersion?(): Promise<string | undefined>;
  /** The current papers again, read only (never builds or takes a writer lock): for a running process to catch up. */
  reopen?(): Promise<OpenedPaperStore>;
}
