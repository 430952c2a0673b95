import type { AnswerDeps } from '../answer/answer-deps.js';
import { termIdf } from '../answer/answer-extractively.js';
import { PaperResolver } from '../answer/resolve-paper.js';
import type { LoadPapers, PaperEntry } from '../corpus/paper.js';
import { createPaperLoader } from '../corpus/paper-loader.js';
import type { Embedder } from '../embedding/embedder.js';
import type { RetrievalAssist } from '../retrieval/assist-ranking.js';
import { createHybridSearcher } from '../retrieval/search-papers.js';
import type { OpenedPaperStore } from '../store/paper-store.js';

/** One loaded version of the papers with everything built over it; requests keep the view they started with. */
export interface PaperView {
  /** Every paper as a catalogue entry (a store may keep the abstracts out of memory: `loadPapers` has them). */
  papers: readonly PaperEntry[];
  byId: ReadonlyMap<string, PaperEntry>;
  /** The whole papers of ids of this view. */
  loadPapers: LoadPapers;
  resolver: PaperResolver<PaperEntry>;
  deps: AnswerDeps;
  /** The store's version of these papers (the index generation). */
  version: string;
  /** Release what the opened store holds (database connections). */
  close(): Promise<void>;
}

/** What stays the same across versions of the papers. */
export type PaperViewParts = Omit<AnswerDeps, 'searcher' | 'papers' | 'resolver' | 'loadPapers' | 'idf'> & { embedder: Embedder; assist: RetrievalAssist | undefined };

/** Build the searcher, resolver and answer dependencies over one opened version of the papers. */
export function buildPaperView(opened: OpenedPaperStore, parts: PaperViewParts): PaperView {
  const { embedder, assist, ...answerParts } = parts;
  // The papers come with their method names ("BOSS", "L2P"), set by the store, for search and paper resolution.
  const { papers, wholePapers, close, lexical, candidates, info } = opened;
  const byId = new Map(papers.map((paper) => [paper.id, paper]));
  const loadPapers = createPaperLoader(byId, wholePapers);
  const searcher = createHybridSearcher({ papers, byId, loadPapers, lexical, candidates, embedder, assist });
  const resolver = new PaperResolver(papers);
  const deps: AnswerDeps = { ...answerParts, searcher, papers, loadPapers, idf: termIdf(lexical), resolver };
  return { papers, byId, loadPapers, resolver, deps, version: info.version, close };
}
