import type { LoadPapers, Paper } from '../corpus/paper.js';
import { wholePaperLoader } from '../corpus/paper-loader.js';
import type { Embedder } from '../embedding/embedder.js';
import { applyRerank, mergeWithRewrite, RERANK_TOP, type RetrievalAssist } from './assist-ranking.js';
import { hasWordSimilarity, type WordNeighbourIndex, type WordSimilarity } from '../embedding/word-neighbours.js';
import type { VectorIndex } from '../store/vector-index.js';
import { isStopWord, stem } from '../text/tokenize.js';
import { DEFAULT_HYBRID_TUNING, type HybridTuning } from './hybrid-tuning.js';
import { judgeRelevance } from './judge-relevance.js';
import { localCandidateSource, type CandidateSource, type LexicalStatistics } from './candidate-source.js';
import type { LexicalIndex } from './lexical-index.js';
import { createAliasMatcher, findNamedPapersIn, type FindNamedPapers, type NameMatch } from './match-aliases.js';
import { createPaperTerms } from './paper-terms.js';
import { createQueryVocabulary } from './query-vocabulary.js';
import { createCandidateScorer, type Candidate, type LoadPaperTerms } from './score-candidates.js';
import type { PaperSearcher, SearchHit, SearchOptions, SearchResponse } from './search-types.js';
import { selectDiverse } from './select-diverse.js';
import { prepareSoftMatchYielding, scoreSoftMatch } from './soft-match.js';

/** Diagnostic view of one search (scores before calibration), for evaluation and tuning. */
export type ScoredCandidate = Candidate;

/**
 * The papers searched: whole papers in memory, or a store's — the loader of whole papers by id and the
 * lookup of papers by their aliases (a search never needs the list of every paper).
 */
type SearchedPapers = { papers: readonly Paper[]; loadPapers?: undefined; findNamed?: undefined } | { papers?: undefined; loadPapers: LoadPapers; findNamed: FindNamedPapers };

type SearcherBaseDeps = SearchedPapers & {
  embedder: Embedder;
  tuning?: Partial<HybridTuning>;
  /** Word neighbours for soft matching; defaults to the embedder's own (the offline embedder has them). */
  wordSimilarity?: WordSimilarity;
  /** Model help (RETRIEVAL_ASSIST): a rewrite searched next to the query, and/or a rerank of the top candidates. */
  assist?: RetrievalAssist;
};

/**
 * The corpus to search: in-process indexes (`lexical` + `vectors`), or term statistics plus a
 * {@link CandidateSource} that answers the top-k queries (e.g. a database).
 */
export type HybridSearcherDeps = SearcherBaseDeps &
  ({ lexical: LexicalIndex; vectors: VectorIndex; candidates?: undefined } | { lexical: LexicalStatistics; candidates: CandidateSource; vectors?: undefined });

export type HybridSearcher = PaperSearcher & { scoreCandidates(query: string): Promise<ScoredCandidate[]>; readonly tuning: HybridTuning };

/**
 * Hybrid search: BM25 (our {@link LexicalIndex}) and dense vectors (any {@link VectorIndex} +
 * {@link Embedder}) fused in our own code, with per-word soft matching, calibrated relevance and optional MMR.
 */
export function createHybridSearcher(deps: HybridSearcherDeps): HybridSearcher {
  const tuning: HybridTuning = { ...DEFAULT_HYBRID_TUNING, ...deps.tuning };
  const { lexical, embedder } = deps;
  const { loadPapers, findNamed } = deps.papers ? { loadPapers: wholePaperLoader(deps.papers), findNamed: findNamedPapersIn(deps.papers) } : deps;
  const wordSimilarity = deps.wordSimilarity ?? (hasWordSimilarity(embedder) ? embedder.wordSimilarity : undefined);
  const vocabulary = createQueryVocabulary({ lexical, wordSimilarity, tuning });
  const softOn = wordSimilarity !== undefined && tuning.softWeight > 0;
  const softScores = softOn ? createSoftScorer(wordSimilarity, lexical, vocabulary.wordWeight, tuning) : async () => () => new Map<string, number>();
  const nameMatches = tuning.aliasWeight > 0 ? createAliasMatcher(findNamed, vocabulary.isRareWord) : async () => new Map<string, NameMatch>();
  const source = deps.candidates ?? localCandidateSource(deps.lexical, deps.vectors);
  // A store that knows its papers' terms gives them (no whole paper read per candidate); else they are the loaded papers' own.
  const paperTerms = source.paperTerms ? (ids: readonly string[]) => source.paperTerms!(ids) : termsOfLoadedPapers(loadPapers);
  const scoreCandidates = createCandidateScorer({ paperTerms, lexical, source, embedder, tuning, noiseTerms: vocabulary.noiseTerms, softScores, nameMatches });
  const rankCandidates = deps.assist ? withAssist(scoreCandidates, loadPapers, deps.assist) : scoreCandidates;

  /** The k to show, with their whole papers (MMR over the best max(3k, 20) when diverse); a paper gone meanwhile is left out. */
  const chooseHits = async (ranked: readonly Candidate[], k: number, diverse: boolean): Promise<{ candidate: Candidate; paper: Paper }[]> => {
    const pool = ranked.slice(0, diverse ? Math.max(3 * k, 20) : k);
    const byId = new Map((await loadPapers(pool.map((c) => c.id))).map((paper) => [paper.id, paper]));
    const loaded = pool.flatMap((candidate) => {
      const paper = byId.get(candidate.id);
      return paper ? [{ candidate, paper }] : [];
    });
    if (!diverse) return loaded;
    return selectDiverse(loaded, k, tuning.mmrLambda, (c) => c.candidate.fused, (c) => lexical.termWeights(`${c.paper.title} ${c.paper.abstract}`));
  };

  return {
    tuning,
    scoreCandidates,
    async search(query: string, options: SearchOptions = {}): Promise<SearchResponse> {
      const k = Math.max(0, Math.floor(options.k ?? 10));
      const trimmed = query.trim();
      if (!trimmed || k === 0) return { query, relevant: false, hits: [] };
      const ranked = await rankCandidates(trimmed);
      const chosen = await chooseHits(ranked, k, options.diverse === true);
      const judge = judgeRelevance(trimmed, { tuning, softOn, vocabulary });
      const hits: SearchHit[] = chosen.map(({ candidate, paper }) => ({ paper, score: round(candidate.fused), relevant: judge.hit(candidate) }));
      return { query, relevant: judge.query(hits.map((h) => h.relevant)), hits };
    },
  };
}

/** The terms of papers read whole (`tokenize` of title and abstract, cached by id): for stores that do not keep terms apart. */
function termsOfLoadedPapers(loadPapers: LoadPapers): LoadPaperTerms {
  const termsOf = createPaperTerms();
  return async (ids) => new Map((await loadPapers(ids)).map((paper) => [paper.id, termsOf(paper)]));
}

/**
 * The candidates of a query with model help: the rewrite (asked for while the query is scored) is
 * scored too and merged; then the top {@link RERANK_TOP} are reordered by the model's scores (their
 * whole papers read for it). A missing, failed or invalid answer leaves the fused order.
 */
function withAssist(scoreCandidates: (query: string) => Promise<Candidate[]>, loadPapers: LoadPapers, assist: RetrievalAssist): (query: string) => Promise<Candidate[]> {
  const quietly = <T>(call: (() => Promise<T | undefined>) | undefined): Promise<T | undefined> => (call ? call().catch(() => undefined) : Promise.resolve(undefined));
  return async (query) => {
    const [own, rewrite] = await Promise.all([scoreCandidates(query), quietly(assist.rewrite && (() => assist.rewrite!(query)))]);
    let ranked = rewrite ? mergeWithRewrite(own, await scoreCandidates(rewrite)) : own;
    if (assist.rerank && ranked.length > 1) {
      const byId = new Map((await loadPapers(ranked.slice(0, RERANK_TOP).map((c) => c.id))).map((paper) => [paper.id, paper]));
      // Only the candidates whose papers are still there are shown to the model (and so reordered).
      ranked = ranked.filter((c, i) => i >= RERANK_TOP || byId.has(c.id));
      const top = ranked.slice(0, RERANK_TOP).flatMap((c) => (byId.has(c.id) ? [byId.get(c.id)!] : []));
      const scores = await quietly(() => assist.rerank!(query, top));
      if (scores) ranked = applyRerank(ranked, scores);
    }
    return ranked;
  };
}

/**
 * Soft matching over a neighbour index of the corpus's words, built on first use: the query's side
 * (its words' neighbours) first, then the candidates' scores.
 */
function createSoftScorer(
  ws: WordSimilarity,
  lexical: LexicalStatistics,
  wordWeight: (word: string) => number,
  tuning: HybridTuning,
): (query: string) => Promise<(terms: ReadonlyMap<string, ReadonlySet<string>>) => Map<string, number>> {
  let neighbours: WordNeighbourIndex | undefined;
  const options = { neighbours: tuning.softNeighbours, floor: tuning.softFloor, minRank: tuning.softMinRank };
  return async (query) => {
    // Over the vocabulary words whose stem the lexical index knows.
    neighbours ??= ws.neighbourIndex((w) => w.length > 2 && !isStopWord(w) && lexical.hasTerm(stem(w)));
    const prepared = await prepareSoftMatchYielding(query, { neighbours, wordWeight, frequencyRank: ws.frequencyRank }, options);
    return (terms) => scoreSoftMatch(prepared, [...terms.keys()], (id) => terms.get(id)!);
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
