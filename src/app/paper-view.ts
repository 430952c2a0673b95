import type { AnswerDeps } from '../answer/answer-deps.js';
import { termIdf } from '../answer/answer-extractively.js';
import { lazyCatalogue, type PaperCatalogue } from '../answer/paper-catalogue.js';
import type { LoadPapers } from '../corpus/paper.js';
import { createPaperLoader } from '../corpus/paper-loader.js';
import type { Embedder } from '../embedding/embedder.js';
import type { RetrievalAssist } from '../retrieval/assist-ranking.js';
import { createHybridSearcher } from '../retrieval/search-papers.js';
import type { OpenedPaperStore } from '../store/paper-store.js';

/** One loaded version of the papers with everything built over it; requests keep the view they started with. */
export interface PaperView {
  /**
   * Every paper as a catalogue entry, by id, and their resolver: read from the store on the first call
   * (a store may keep the list and the abstracts out of memory until then: `loadPapers` has the abstracts).
   */
  catalogue: () => Promise<PaperCatalogue>;
  /** The whole papers of ids, as the store holds them. */
  loadPapers: LoadPapers;
  deps: AnswerDeps;
  /** The store's version of these papers (the index generation). */
  version: string;
  /** How many papers the store said it held when opened. */
  paperCount: number;
  /** Release what the opened store holds (database connections). */
  close(): Promise<void>;
}

/** What stays the same across versions of the papers. */
export type PaperViewParts = Omit<AnswerDeps, 'searcher' | 'catalogue' | 'loadPapers' | 'idf'> & { embedder: Embedder; assist: RetrievalAssist | undefined };

/** Build the searcher and answer dependencies over one opened version of the papers (the catalogue is read when first needed). */
export function buildPaperView(opened: OpenedPaperStore, parts: PaperViewParts): PaperView {
  const { embedder, assist, ...answerParts } = parts;
  // The papers come with their method names ("BOSS", "L2P"), set by the store, for search and paper resolution.
  const { wholePapers, findNamed, close, lexical, candidates, info } = opened;
  const catalogue = lazyCatalogue(() => opened.catalogue());
  const loadPapers = createPaperLoader(wholePapers);
  const searcher = createHybridSearcher({ loadPapers, findNamed, lexical, candidates, embedder, assist });
  const deps: AnswerDeps = { ...answerParts, searcher, catalogue, loadPapers, idf: termIdf(lexical) };
  return { catalogue, loadPapers, deps, version: info.version, paperCount: info.paperCount, close };
}
