/** Tunables of the hybrid searcher (defaults tuned on the tuning sets in data/eval). */
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
   * the corpus than in general English (log ratio; 0 for words the corpus lacks). 0 turns it off.
   */
  minDomain: number;
  /**
   * Rare-term signal: a hit is also relevant when the query names a paper-specific term that the hit
   * contains — a stemmed query term in 1..max(`rareTermMaxDf`, `rareTermMaxShare` × papers) papers whose
   * surface word (≥ 3 characters, with a letter) is not common English: source frequency rank ≥
   * `rareTermMinRank` or unknown to the word list ("DualPrompt", "L2P"). Needs word frequencies; 0 turns it off.
   */
  rareTermMinRank: number;
  rareTermMaxDf: number;
  rareTermMaxShare: number;
  /**
   * Papers the query names by one of their aliases (`Paper.aliases`) are candidates, relevant when the
   * name is rare, and lifted: fused scores become (score + aliasWeight · named) / (1 + aliasWeight)
   * when some candidate is named. 0 turns name matching off.
   */
  aliasWeight: number;
  /**
   * Soft matching counts in the fused score only for queries of at least this many distinct terms:
   * on a short topic ("LLM-based agents") nearly every on-topic paper matches every word, so it adds
   * only noise there. It still guards relevance (`minSoft`) for every query.
   */
  softMinTerms: number;
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
  aliasWeight: 1,
  softMinTerms: 6,
};
