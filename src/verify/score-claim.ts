import type { WordNeighbourIndex, WordSimilarity } from '../embedding/word-neighbours.js';
import { splitSentences, stem, words } from '../text/tokenize.js';
import { claimTerms, foldedStems, foldText, namePartsIn, numbersIn, polarityClash, polaritySide, type ClaimTerm, type PolaritySide } from './claim-signals.js';
import type { ClaimSource, ClaimVerdict, ClaimVerifier, CitedSentence, VerifierOutcome } from './claim-types.js';
import { claimText } from './split-claims.js';

/**
 * Knobs of the offline claim scorer (defaults: tuned on data/eval/claims-tuning.jsonl only). Word-vector
 * soft matching is off by default (`softFloor: 1`): it did not improve the tuning-set figures; with
 * `softFloor: 0.5` a close word (cosine 0.75) earns half a match.
 */
export interface ClaimScorerTuning {
  /** A claim scoring at least this is supported. */
  threshold: number;
  /** Word-vector cosine at or below which a neighbouring word counts 0; above, (cos − floor) / (1 − floor). 1: no soft matching. */
  softFloor: number;
  /** Neighbouring words (from the cited abstracts) considered per claim word. */
  softNeighbours: number;
  /** Weight of the coverage by two adjacent sentences, relative to one sentence. */
  pairFactor: number;
  /** Weight of the coverage by the whole cited abstract(s), relative to one sentence. */
  wholeFactor: number;
  /** Weight of each number and name part, relative to the rarest word (2: "numbers and names count double"). */
  nameWeight: number;
  /** Score multiplier per number of the claim that no cited abstract contains. */
  missingNumberFactor: number;
  /** Score multiplier per name part of the claim that no cited abstract (or title) contains. */
  missingNameFactor: number;
  /** Score multiplier when the claim negates part of what its evidence states, or the other way round. */
  negationMismatchFactor: number;
  /** Score multiplier when every word a negation governs occurs in the other text (a plain contradiction). */
  fullClashFactor: number;
  /** Share of a negation's scope the other text must contain for a polarity clash. */
  scopeOverlap: number;
  /** SIF smoothing of word weights a / (a + p(word)): rarer words weigh more. */
  wordWeightA: number;
}

export const DEFAULT_CLAIM_SCORER_TUNING: ClaimScorerTuning = {
  threshold: 0.55,
  softFloor: 1,
  softNeighbours: 8,
  pairFactor: 0.95,
  wholeFactor: 0.85,
  nameWeight: 2,
  missingNumberFactor: 0.5,
  missingNameFactor: 0.5,
  negationMismatchFactor: 0.7,
  fullClashFactor: 0.4,
  scopeOverlap: 0.5,
  wordWeightA: 1e-2,
};

/** The offline verdict with the signals behind it (for the benchmark and tests). */
export interface ScoredClaim extends ClaimVerdict {
  coverage: number;
  missingNumbers: string[];
  missingNames: string[];
  negationMismatch: boolean;
}

const union = <T>(sets: readonly ReadonlySet<T>[]): Set<T> => new Set(sets.flatMap((s) => [...s]));

/** One cited abstract, analysed once (and cached per paper object). */
interface PreparedSource {
  sentences: string[];
  sentenceStems: Set<string>[];
  sentenceNumbers: Set<string>[];
  /** Stems and numbers of each sentence together with the next one. */
  pairStems: Set<string>[];
  pairNumbers: Set<string>[];
  /** Negation scopes of sentence i (or of the pair i, i + 1), computed when first needed. */
  side(i: number, pair: boolean): PolaritySide;
  /** Folded stems, numbers and negation of title + abstract. */
  stems: Set<string>;
  numbers: Set<string>;
}

function prepareSource(paper: ClaimSource['paper']): PreparedSource {
  const sentences = splitSentences(paper.abstract);
  const sentenceStems = sentences.map(foldedStems);
  const sentenceNumbers = sentences.map(numbersIn);
  const pairs = <T>(sets: Set<T>[]) => sets.slice(0, -1).map((set, i) => union([set, sets[i + 1]!]));
  const sides = new Map<string, PolaritySide>();
  return {
    sentences,
    sentenceStems,
    sentenceNumbers,
    pairStems: pairs(sentenceStems),
    pairNumbers: pairs(sentenceNumbers),
    side: (i, pair) => {
      const key = `${i}${pair ? '+' : ''}`;
      let side = sides.get(key);
      if (!side) sides.set(key, (side = polaritySide(pair ? `${sentences[i]!} ${sentences[i + 1]!}` : sentences[i]!)));
      return side;
    },
    stems: foldedStems(`${paper.title} ${paper.abstract}`),
    numbers: numbersIn(`${paper.title} ${paper.abstract}`),
  };
}

/** A claim word with its weight and the words of the cited abstracts it softly matches. */
interface WeightedTerm extends ClaimTerm {
  weight: number;
  near: { stem: string; sim: number }[];
}

/** The part of a claim a passage covers, each content word weighted by rarity and each number/name part counting `nameWeight`. */
function coverage(terms: readonly WeightedTerm[], names: ReadonlySet<string>, numbers: ReadonlySet<string>, stems: ReadonlySet<string>, passageNumbers: ReadonlySet<string>, nameWeight: number): number {
  let total = 0;
  let matched = 0;
  for (const term of terms) {
    total += term.weight;
    if (stems.has(term.stem)) matched += term.weight;
    else matched += term.weight * (term.near.find((n) => stems.has(n.stem))?.sim ?? 0);
  }
  for (const name of names) {
    total += nameWeight;
    if (stems.has(name)) matched += nameWeight;
  }
  for (const number of numbers) {
    total += nameWeight;
    if (passageNumbers.has(number)) matched += nameWeight;
  }
  return total > 0 ? matched / total : 0;
}

/** Where a claim is best covered: the best passage (one sentence or two adjacent ones) and the best single sentence (the evidence). */
interface BestPassage {
  coverage: number;
  passage: { source: PreparedSource; i: number; pair: boolean } | undefined;
  evidence: string;
}

function findBestPassage(sources: readonly PreparedSource[], cover: (stems: ReadonlySet<string>, numbers: ReadonlySet<string>) => number, pairFactor: number): BestPassage {
  const best: BestPassage = { coverage: 0, passage: undefined, evidence: '' };
  let evidenceCover = -1;
  for (const source of sources) {
    source.sentences.forEach((sentence, i) => {
      const single = cover(source.sentenceStems[i]!, source.sentenceNumbers[i]!);
      if (single > evidenceCover) [evidenceCover, best.evidence] = [single, sentence];
      if (single > best.coverage || !best.passage) [best.coverage, best.passage] = [Math.max(best.coverage, single), { source, i, pair: false }];
      if (i + 1 >= source.sentences.length) return;
      const pair = pairFactor * cover(source.pairStems[i]!, source.pairNumbers[i]!);
      if (pair > best.coverage) [best.coverage, best.passage] = [pair, { source, i, pair: true }];
    });
  }
  return best;
}

/** The score after the penalties: per missing number, per missing name part, and for a polarity clash (stronger when full). */
function penalise(coverage: number, missingNumbers: number, missingNames: number, clash: number, tuning: ClaimScorerTuning): number {
  const clashFactor = clash >= 1 ? tuning.fullClashFactor : clash > 0 ? tuning.negationMismatchFactor : 1;
  const score = coverage * tuning.missingNumberFactor ** missingNumbers * tuning.missingNameFactor ** missingNames * clashFactor;
  return Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;
}

/** Harmonic number of the word-vector source's ~400k-word vocabulary: Zipf's law p(word) = 1 / ((rank + 1) · H). */
const ZIPF_HARMONIC = Math.log(400_000) + 0.5772;

/**
 * The offline claim scorer: how much of a claim the best passage of its cited abstract(s) covers
 * (content words matched by stem or, with word vectors, by a close word; numbers and names count
 * double), lowered for every number or name the cited abstracts do not contain and for a negation the
 * evidence does not share. The best single sentence is kept as evidence.
 */
export function createOfflineClaimScorer(options: { wordSimilarity?: WordSimilarity | undefined; tuning?: Partial<ClaimScorerTuning> } = {}) {
  const tuning: ClaimScorerTuning = { ...DEFAULT_CLAIM_SCORER_TUNING, ...options.tuning };
  const ws = options.wordSimilarity;
  const prepared = new WeakMap<ClaimSource['paper'], PreparedSource>();
  const prepare = (paper: ClaimSource['paper']): PreparedSource => {
    let source = prepared.get(paper);
    if (!source) prepared.set(paper, (source = prepareSource(paper)));
    return source;
  };
  const wordWeight = (surface: string): number => {
    const rank = ws?.frequencyRank(surface);
    return rank === undefined ? 1 : tuning.wordWeightA / (tuning.wordWeightA + 1 / ((rank + 1) * ZIPF_HARMONIC));
  };
  const softMatching = ws !== undefined && tuning.softFloor < 1;
  const weighTerms = (text: string, names: ReadonlySet<string>, neighbours: WordNeighbourIndex | undefined): WeightedTerm[] =>
    claimTerms(text).map((term) => ({
      ...term,
      weight: wordWeight(term.surface),
      near:
        neighbours && softMatching && !names.has(term.stem)
          ? neighbours
              .nearest(term.surface, tuning.softNeighbours, tuning.softFloor)
              .map((n) => ({ stem: stem(n.word), sim: (n.similarity - tuning.softFloor) / (1 - tuning.softFloor) }))
          : [],
    }));

  /** Score one claim (plain text or a sentence with citations) against the cited papers. */
  function scoreClaim(claim: string, papers: readonly ClaimSource['paper'][], neighbours?: WordNeighbourIndex): ScoredClaim {
    const text = claimText(claim);
    const sources = papers.map(prepare);
    const names = namePartsIn(text);
    const numbers = numbersIn(text);
    const terms = weighTerms(text, names, neighbours ?? (softMatching ? neighbourIndexFor(ws, papers) : undefined));
    const cover = (stems: ReadonlySet<string>, passageNumbers: ReadonlySet<string>) => coverage(terms, names, numbers, stems, passageNumbers, tuning.nameWeight);
    const best = findBestPassage(sources, cover, tuning.pairFactor);
    const allStems = union(sources.map((s) => s.stems));
    const allNumbers = union(sources.map((s) => s.numbers));
    const covered = Math.max(best.coverage, tuning.wholeFactor * cover(allStems, allNumbers));
    const missingNumbers = [...numbers].filter((n) => !allNumbers.has(n));
    const missingNames = [...names].filter((n) => !allStems.has(n));
    const side = best.passage?.source.side(best.passage.i, best.passage.pair);
    const clash = side ? polarityClash(polaritySide(text), side, tuning.scopeOverlap) : 0;
    const score = penalise(covered, missingNumbers.length, missingNames.length, clash, tuning);
    return { supported: score >= tuning.threshold, score, evidence: best.evidence, coverage: covered, missingNumbers, missingNames, negationMismatch: clash > 0 };
  }

  const verifier: ClaimVerifier & { scoreClaim: typeof scoreClaim; readonly tuning: ClaimScorerTuning } = {
    kind: 'offline',
    tuning,
    scoreClaim,
    async verify(sentences: readonly CitedSentence[], sources: readonly ClaimSource[]): Promise<VerifierOutcome> {
      const byNumber = new Map(sources.map((s) => [s.n, s.paper]));
      const cited = sources.filter((s) => sentences.some((sentence) => sentence.citations.includes(s.n)));
      const neighbours = softMatching && cited.length ? neighbourIndexFor(ws, cited.map((s) => s.paper)) : undefined;
      const verdicts = sentences.map((sentence) => {
        const papers = sentence.citations.map((n) => byNumber.get(n)).filter((p) => p !== undefined);
        const { supported, score, evidence } = scoreClaim(sentence.text, papers, neighbours);
        return { supported, score, evidence };
      });
      return { verdicts, verifiedBy: 'offline' };
    },
  };
  return verifier;
}

export type OfflineClaimScorer = ReturnType<typeof createOfflineClaimScorer>;

/** Word neighbours restricted to the words of the given papers (one pass over the word-vector vocabulary). */
export function neighbourIndexFor(ws: WordSimilarity, papers: readonly ClaimSource['paper'][]): WordNeighbourIndex {
  const vocabulary = new Set(papers.flatMap((p) => words(foldText(`${p.title} ${p.abstract}`)).flatMap((w) => [w, ...w.split(/[-']/)])));
  return ws.neighbourIndex((word) => vocabulary.has(word));
}
