import type { Embedder } from '../embedding/embedder.js';
import type { VectorMatch } from '../store/vector-index.js';
import type { CandidateSource, LexicalStatistics } from './candidate-source.js';
import type { HybridTuning } from './hybrid-tuning.js';
import type { LexicalMatch } from './lexical-index.js';
import type { NameMatch } from './match-aliases.js';

/**
 * One paper found by the lexical or the dense retriever, with every signal the fusion and relevance use:
 * its id and its terms, not the whole paper (a search reads whole papers only for the hits it returns).
 */
export interface Candidate {
  id: string;
  /** The paper's stemmed terms (title and abstract; what `tokenize` gives): soft matching and relevance. */
  terms: ReadonlySet<string>;
  /** Raw BM25 score (0 when outside the lexical top-k). */
  lexical: number;
  /** Share of the query's IDF mass the paper contains. */
  coverage: number;
  /** Dense cosine (papers outside the dense top-k get the lowest cosine seen there). */
  cosine: number;
  /** Per-word soft-match score in [0, 1] (0 when soft matching is off). */
  soft: number;
  /** How the query names this paper by one of its aliases, if it does. */
  named: NameMatch | null;
  /** Fused score in [0, 1]. */
  fused: number;
}

/** The stemmed terms of papers by id (an id left out is a paper the store no longer holds). */
export type LoadPaperTerms = (ids: readonly string[]) => Promise<ReadonlyMap<string, ReadonlySet<string>>>;

export interface CandidateScorerDeps {
  /** The terms of a query's candidates (a match whose terms it does not give is dropped). */
  paperTerms: LoadPaperTerms;
  lexical: LexicalStatistics;
  /** The lexical and dense top-k (in-process indexes or a database). */
  source: CandidateSource;
  embedder: Embedder;
  tuning: HybridTuning;
  /** Stemmed query terms to leave out of the coverage denominator (noise such as "pls"). */
  noiseTerms: (query: string) => Set<string>;
  /**
   * Soft matching of a query: its own side prepared at once (while the database looks for candidates;
   * resolves when done), then the scores of the given candidates (their terms by id) by id (an empty map when soft matching is off).
   */
  softScores: (query: string) => Promise<(terms: ReadonlyMap<string, ReadonlySet<string>>) => Map<string, number>>;
  /** Papers the query names by an alias. */
  nameMatches: (query: string) => Promise<Map<string, NameMatch>>;
}

/**
 * Candidates of a query, best first: the lexical and dense top-k and the papers it names merged, each
 * re-scored by soft matching, and fused as a weighted mean of max-normalised BM25, floored dense cosine
 * and soft score (the latter only for queries of `softMinTerms` terms or more); papers named by an
 * alias are lifted by `aliasWeight`.
 */
export function createCandidateScorer(deps: CandidateScorerDeps): (query: string) => Promise<Candidate[]> {
  const { lexical, tuning } = deps;
  const lexicalMatches = (query: string): Promise<LexicalMatch[]> => {
    const noise = deps.noiseTerms(query);
    const terms = lexical.queryTerms(query);
    return deps.source.lexical(noise.size ? terms.map((t) => (noise.has(t.term) ? { ...t, coverage: false } : t)) : terms, tuning.candidates);
  };
  return async (query) => {
    const [queryVector] = await deps.embedder.embed([query]);
    if (!queryVector) return [];
    // The dense look-up first: on one database connection it runs while this process prepares below.
    const denseMatches = deps.source.dense(queryVector, tuning.candidates);
    const found = Promise.all([lexicalMatches(query), denseMatches, deps.nameMatches(query)]);
    // Handled below: not an unhandled rejection while this process prepares soft matching.
    found.catch(() => undefined);
    // Once the look-ups are on their way (a database's connection is handed out on a later tick), the
    // query's side of soft matching is prepared while the database works (it lets the event loop in, so
    // the next statements are sent as the earlier ones return).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const softReady = deps.softScores(query);
    softReady.catch(() => undefined);
    const [lex, dense, named] = await found;
    const signals = mergeMatches(lex, dense, named);
    const terms = await deps.paperTerms([...signals.keys()]);
    const soft = (await softReady)(terms);
    const candidates = [...signals].flatMap(([id, signal]): Candidate[] => {
      const own = terms.get(id);
      return own ? [{ id, terms: own, ...signal, soft: soft.get(id) ?? 0 }] : [];
    });
    const short = lexical.queryTerms(query).length < tuning.softMinTerms;
    return fuse(candidates, short ? { ...tuning, softWeight: 0 } : tuning);
  };
}

/** A candidate's signals before its terms are loaded. */
type CandidateSignals = Omit<Candidate, 'id' | 'terms'>;

/** Lexical, dense and name matches by paper id; a paper the dense side did not return gets its lowest cosine (an upper bound of its own). */
function mergeMatches(
  lex: readonly LexicalMatch[],
  dense: readonly VectorMatch[],
  named: ReadonlyMap<string, NameMatch>,
): Map<string, CandidateSignals> {
  const minCosine = dense.at(-1)?.score ?? 0;
  const out = new Map<string, CandidateSignals>();
  const get = (id: string) => {
    let c = out.get(id);
    if (!c) out.set(id, (c = { lexical: 0, coverage: 0, cosine: minCosine, soft: 0, named: null, fused: 0 }));
    return c;
  };
  for (const m of lex) Object.assign(get(m.id), { lexical: m.score, coverage: m.coverage });
  for (const m of dense) get(m.id).cosine = m.score;
  for (const [id, match] of named) get(id).named = match;
  return out;
}

/** Weighted mean of the max-normalised signals; sorted best first (ties by id, so results are stable). */
function fuse(candidates: Candidate[], tuning: HybridTuning): Candidate[] {
  const maxLexical = Math.max(0, ...candidates.map((c) => c.lexical));
  const maxSoft = Math.max(0, ...candidates.map((c) => c.soft));
  const dense01 = (cos: number) => Math.max(0, Math.min(1, (cos - tuning.denseFloor) / (1 - tuning.denseFloor)));
  const weightSum = tuning.lexicalWeight + tuning.denseWeight + tuning.softWeight || 1;
  const nameWeight = candidates.some((c) => c.named) ? tuning.aliasWeight : 0;
  for (const c of candidates) {
    const l = maxLexical > 0 ? c.lexical / maxLexical : 0;
    const s = maxSoft > 0 ? c.soft / maxSoft : 0;
    const base = (tuning.lexicalWeight * l + tuning.denseWeight * dense01(c.cosine) + tuning.softWeight * s) / weightSum;
    c.fused = (base + (c.named ? nameWeight : 0)) / (1 + nameWeight);
  }
  return candidates.sort((a, b) => b.fused - a.fused || a.id.localeCompare(b.id));
}
