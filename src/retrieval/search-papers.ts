import type { Paper } from '../corpus/paper.js';
import type { Embedder } from '../embedding/embedder.js';
import { hasWordSimilarity, type WordNeighbourIndex, type WordSimilarity } from '../embedding/word-neighbours.js';
import { isStopWord, stem, tokenize, words } from '../text/tokenize.js';
import { softMatchScores } from './soft-match.js';
import type { VectorIndex } from '../store/vector-index.js';
import type { LexicalIndex } from './lexical-index.js';
import { selectDiverse } from './select-diverse.js';
import type { PaperSearcher, SearchHit, SearchOptions, SearchResponse } from './search-types.js';

/** Tunables of the hybrid searcher (defaults tuned on data/eval dev + paraphrase questions). */
export interface HybridTuning {
  /** Candidates taken from each retriever before fusion. */
  candidates: number;
  lexicalWeight: number;
  denseWeight: number;
  /** Cosine at or below which a dense score counts as 0 (dense scores are mapped (cos - floor) / (1 - floor)). */
  denseFloor: number;
  /**
   * Relevance calibration: a hit is relevant when its dense cosine to the query plus its lexical
   * coverage (share of the query's IDF mass it contains) reaches this. Off-topic queries match
   * few rare words and sit at generic cosines, so they stay below it.
   */
  minEvidence: number;
  /** MMR trade-off for `diverse: true` (1 = pure relevance). */
  mmrLambda: number;
  /** Weight of per-word soft matching in weighted fusion (0 = off; needs word similarity). */
  softWeight: number;
  /** Corpus-word neighbours per query word for soft matching. */
  softNeighbours: number;
  /** Word cosine counting 0 in soft matching. */
  softFloor: number;
  /** Query words more frequent than this source rank match only themselves in soft matching. */
  softMinRank: number;
  /** SIF-style smoothing of query-word rarity weights a / (a + p(w)) in soft matching. */
  softA: number;
  /**
   * Relevance guard (when soft matching is on): a hit also needs this soft-match score, i.e. the
   * query's words must have close neighbours in the paper, not just a generic cosine.
   */
  minSoft: number;
  /**
   * Domain check for the response-level `relevant` flag: the query counts as on-topic when the mean
   * "domain specificity" of its content words reaches this — how much more often a word occurs in
   * the corpus than in general English (log ratio; 0 for words the corpus lacks). Paraphrased
   * questions about papers use the field's vocabulary even when no single abstract matches them
   * well; everyday questions do not. 0 turns it off (then only hit evidence counts).
   */
  minDomain: number;
  /**
   * Rare-term signal: a hit is also relevant when the query names a paper-specific term that the hit
   * contains — a stemmed query term in 1..max(`rareTermMaxDf`, `rareTermMaxShare` × papers) papers whose surface word
   * (≥ 3 characters, with a letter) is not common English: source frequency rank ≥ `rareTermMinRank`
   * or unknown to the word list ("DualPrompt", "L2P"). Such a term identifies its papers whatever filler
   * surrounds it ("what is DualPrompt pls"). Needs word frequencies (off without them); 0 turns it off.
   */
  rareTermMinRank: number;
  rareTermMaxDf: number;
  rareTermMaxShare: number;
}

export const DEFAULT_HYBRID_TUNING: HybridTuning = {
  candidates: 50,
  lexicalWeight: 0.6,
  denseWeight: 0.4,
  denseFloor: 0.2,
  minEvidence: 0.67,
  mmrLambda: 0.5,
  softWeight: 0.5,
  softNeighbours: 50,
  softFloor: 0.55,
  softMinRank: 2000,
  softA: 1e-3,
  minSoft: 0.3,
  minDomain: 5.5,
  rareTermMinRank: 20_000,
  rareTermMaxDf: 3,
  rareTermMaxShare: 0.005,
};

interface Candidate {
  paper: Paper;
  lexical: number;
  coverage: number;
  cosine: number | null;
  soft: number;
  fused: number;
}

/** Diagnostic view of one search (scores before calibration), for evaluation and tuning. */
export interface ScoredCandidate {
  paper: Paper;
  fused: number;
  lexical: number;
  coverage: number;
  cosine: number;
  /** Per-word soft-match score in [0, 1] (0 when soft matching is off). */
  soft: number;
}

/**
 * Hybrid search: BM25 (our {@link LexicalIndex}) and dense vectors (any {@link VectorIndex} +
 * {@link Embedder}) fused in our own code, with calibrated relevance and optional MMR.
 */
export function createHybridSearcher(deps: {
  papers: readonly Paper[];
  lexical: LexicalIndex;
  vectors: VectorIndex;
  embedder: Embedder;
  tuning?: Partial<HybridTuning>;
  /** Word neighbours for query expansion; defaults to the embedder's own (the offline embedder has them). */
  wordSimilarity?: WordSimilarity;
}): PaperSearcher & { scoreCandidates(query: string): Promise<ScoredCandidate[]>; readonly tuning: HybridTuning } {
  const tuning: HybridTuning = { ...DEFAULT_HYBRID_TUNING, ...deps.tuning };
  const byId = new Map(deps.papers.map((p) => [p.id, p]));
  const { lexical, vectors, embedder } = deps;

  const wordSimilarity = deps.wordSimilarity ?? (hasWordSimilarity(embedder) ? embedder.wordSimilarity : undefined);
  let neighbourIndex: WordNeighbourIndex | undefined;
  // Built on first use over the vocabulary words whose stem the lexical index knows.
  const getNeighbourIndex = (ws: WordSimilarity) =>
    (neighbourIndex ??= ws.neighbourIndex((w) => w.length > 2 && !isStopWord(w) && lexical.hasTerm(stem(w))));
  const harmonic = Math.log(400_000) + 0.5772;
  const wordWeight = (word: string) => {
    const rank = wordSimilarity?.frequencyRank(word);
    if (rank === undefined) return 1;
    const p = 1 / ((rank + 1) * harmonic);
    return tuning.softA / (tuning.softA + p);
  };
  // Stemmed terms per paper for soft matching (computed on first need, bounded cache).
  const termCache = new Map<string, ReadonlySet<string>>();
  const termsOf = (id: string): ReadonlySet<string> => {
    let terms = termCache.get(id);
    if (!terms) {
      const paper = byId.get(id);
      terms = new Set(paper ? tokenize(`${paper.title} ${paper.abstract}`) : []);
      if (termCache.size >= 50_000) termCache.clear();
      termCache.set(id, terms);
    }
    return terms;
  };
  const softScores = (query: string, ids: readonly string[]): Map<string, number> => {
    if (!wordSimilarity || tuning.softWeight <= 0) return new Map();
    return softMatchScores(
      query,
      ids,
      { neighbours: getNeighbourIndex(wordSimilarity), termsOf, wordWeight, frequencyRank: wordSimilarity.frequencyRank },
      { neighbours: tuning.softNeighbours, floor: tuning.softFloor, minRank: tuning.softMinRank },
    );
  };
  const dense01 = (cos: number) => Math.max(0, Math.min(1, (cos - tuning.denseFloor) / (1 - tuning.denseFloor)));

  /**
   * Stemmed query terms of words unknown both to the corpus and to the English word list (typos and
   * chat filler such as "wht", "pls"): they say nothing about the topic, so they do not count in the
   * coverage / domain denominators (without word frequencies nothing is excluded).
   */
  const isNoiseWord = (surface: string) =>
    wordSimilarity !== undefined && wordSimilarity.frequencyRank(surface) === undefined && lexical.documentFrequency(stem(surface)) === 0;
  const noiseTerms = (query: string): Set<string> => {
    const out = new Set<string>();
    if (!wordSimilarity) return out;
    for (const word of words(query)) {
      if (isStopWord(word)) continue;
      if (word.includes('-') || word.includes("'")) continue; // parts may still carry meaning
      if (isNoiseWord(word)) out.add(stem(word));
    }
    return out;
  };

  async function scoreCandidates(query: string): Promise<Candidate[]> {
    const n = tuning.candidates;
    const noise = noiseTerms(query);
    const lex = noise.size
      ? lexical.searchTerms(lexical.queryTerms(query).map((t) => (noise.has(t.term) ? { ...t, coverage: false } : t)), n)
      : lexical.search(query, n);
    const [qv] = await embedder.embed([query]);
    if (!qv) return [];
    const dense = await vectors.query(qv, n);
    const cands = new Map<string, Candidate>();
    const get = (id: string) => {
      let c = cands.get(id);
      if (!c) {
        const paper = byId.get(id);
        if (!paper) return undefined;
        c = { paper, lexical: 0, coverage: 0, cosine: null, soft: 0, fused: 0 };
        cands.set(id, c);
      }
      return c;
    };
    for (const m of lex) {
      const c = get(m.id);
      if (c) Object.assign(c, { lexical: m.score, coverage: m.coverage });
    }
    for (const m of dense) {
      const c = get(m.id);
      if (c) c.cosine = m.score;
    }
    const maxLex = lex[0]?.score ?? 0;
    // Papers outside the dense top-k get the lowest cosine seen (an upper bound of theirs).
    const minCos = dense.at(-1)?.score ?? 0;
    // Soft matching re-scores the lexical + dense candidates (bounded work at any corpus size).
    const soft = softScores(query, [...cands.keys()]);
    for (const c of cands.values()) {
      if (c.cosine === null && dense.length) c.cosine = minCos;
      c.soft = soft.get(c.paper.id) ?? 0;
    }
    const maxSoft = Math.max(0, ...soft.values());
    const wSum = tuning.lexicalWeight + tuning.denseWeight + tuning.softWeight || 1;
    for (const c of cands.values()) {
      const l = maxLex > 0 ? c.lexical / maxLex : 0;
      const d = dense01(c.cosine ?? minCos);
      c.fused = (tuning.lexicalWeight * l + tuning.denseWeight * d + tuning.softWeight * (maxSoft > 0 ? c.soft / maxSoft : 0)) / wSum;
    }
    return [...cands.values()].sort((a, b) => b.fused - a.fused || a.paper.id.localeCompare(b.paper.id));
  }

  const softOn = wordSimilarity !== undefined && tuning.softWeight > 0;
  const domainScore = (query: string): number => {
    if (!wordSimilarity || tuning.minDomain <= 0) return 0;
    const content = words(query)
      .flatMap((w) => w.split(/[-']/))
      .filter((w) => w.length > 2 && !isStopWord(w) && !/\d/.test(w) && !isNoiseWord(w));
    if (content.length === 0) return 0;
    const papers = Math.max(1, lexical.size);
    let total = 0;
    for (const word of content) {
      const df = lexical.documentFrequency(stem(word));
      if (df === 0) continue;
      const pEnglish = 1 / (((wordSimilarity.frequencyRank(word) ?? 400_000) + 1) * harmonic);
      total += Math.log((df + 0.1) / papers / pEnglish);
    }
    return total / content.length;
  };
  /** Stemmed query terms that name few papers and are not everyday English (see `rareTermMinRank`). */
  const rareTerms = (query: string): string[] => {
    if (!wordSimilarity || tuning.rareTermMinRank <= 0) return [];
    const maxDf = Math.max(tuning.rareTermMaxDf, Math.floor(tuning.rareTermMaxShare * lexical.size));
    const out = new Set<string>();
    for (const word of words(query)) {
      const surfaces = word.includes('-') || word.includes("'") ? [word.replace(/[-']/g, ''), ...word.split(/[-']/)] : [word];
      for (const surface of surfaces) {
        if (surface.length < 3 || !/\p{L}/u.test(surface) || isStopWord(surface)) continue;
        const term = stem(surface);
        const df = lexical.documentFrequency(term);
        if (df < 1 || df > maxDf) continue;
        const rank = wordSimilarity.frequencyRank(surface);
        if (rank === undefined || rank >= tuning.rareTermMinRank) out.add(term);
      }
    }
    return [...out];
  };
  const isRelevant = (c: Candidate, rare: readonly string[]) =>
    (Math.max(0, c.cosine ?? 0) + c.coverage >= tuning.minEvidence && (!softOn || c.soft >= tuning.minSoft)) ||
    (rare.length > 0 && rare.some((t) => termsOf(c.paper.id).has(t)));

  return {
    tuning,
    async scoreCandidates(query: string): Promise<ScoredCandidate[]> {
      return (await scoreCandidates(query)).map((c) => ({ paper: c.paper, fused: c.fused, lexical: c.lexical, coverage: c.coverage, cosine: c.cosine ?? 0, soft: c.soft }));
    },
    async search(query: string, options: SearchOptions = {}): Promise<SearchResponse> {
      const k = Math.max(0, Math.floor(options.k ?? 10));
      const trimmed = query.trim();
      if (!trimmed || k === 0) return { query, relevant: false, hits: [] };
      const ranked = await scoreCandidates(trimmed);
      const chosen = options.diverse
        ? selectDiverse(ranked, k, tuning.mmrLambda, (c) => c.fused, (c) => lexical.termWeights(`${c.paper.title} ${c.paper.abstract}`))
        : ranked.slice(0, k);
      const rare = rareTerms(trimmed);
      const hits: SearchHit[] = chosen.map((c) => ({ paper: c.paper, score: round(c.fused), relevant: isRelevant(c, rare) }));
      // On-topic when a hit has evidence, or when the question is in the field's vocabulary (a
      // paraphrase of a paper rarely matches one abstract well, but is still a question for us).
      const relevant = hits.length > 0 && (hits.some((h) => h.relevant) || (tuning.minDomain > 0 && domainScore(trimmed) >= tuning.minDomain));
      return { query, relevant, hits };
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
