import type { Paper, PaperEntry } from '../corpus/paper.js';
import type { CandidateSource, LexicalStatistics } from '../retrieval/candidate-source.js';
import type { FindNamedPapers } from '../retrieval/match-aliases.js';
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
  /**
   * All papers, in corpus order, with their names (`aliases`, `acronyms`: assignDistinctAliases): whole
   * papers (the local store, in memory), or catalogue entries without their abstracts (PostgreSQL: read
   * when first asked for, not by opening — a search needs neither this list nor the abstracts of papers
   * it does not return).
   */
  catalogue(): Promise<readonly PaperEntry[]>;
  /** The whole papers `ids` as the store holds them now, with their names, by id (an id it no longer holds is left out). */
  wholePapers(ids: readonly string[]): Promise<ReadonlyMap<string, Paper>>;
  /** The papers with an alias under one of the given keys (alias matching in search). */
  findNamed: FindNamedPapers;
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
