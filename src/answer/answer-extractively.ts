import type { Paper } from '../corpus/paper.js';
import type { ModelFailureKind } from '../model/chat-model.js';
import { splitSentences, tokenize, words, isStopWord, stem } from '../text/tokenize.js';
import { truncateText } from '../text/truncate-text.js';

/** Notices for answers not written by a model. */
export const OFFLINE_NOTICE = 'No language model configured — showing the most relevant passages from the abstracts.';

/** What users are told about a model failure: short, no server addresses or server messages (those go to the logs). */
const FAILURE_REASONS: Readonly<Record<ModelFailureKind | 'unexpected', string>> = {
  timeout: 'it did not answer in time',
  connection: 'it could not be reached',
  'rate-limit': 'it is busy',
  server: 'it reported an error',
  malformed: 'it sent an unusable reply',
  auth: 'it refused the request',
  'not-found': 'it refused the request',
  'bad-request': 'it refused the request',
  other: 'something went wrong',
  unexpected: 'something went wrong',
};

export function modelFailureNotice(kind: ModelFailureKind | 'unexpected'): string {
  return `The language model is unavailable right now (${FAILURE_REASONS[kind]}); here are the most relevant passages instead.`;
}

/** Longest sentence quoted from an abstract (longer ones are cut on a word boundary, with "…"). */
export const MAX_QUOTED_SENTENCE_CHARS = 400;
/** Longest title shown in an offline comparison or summary. */
export const MAX_SHOWN_TITLE_CHARS = 200;
/** Longest offline answer: whole lines are kept up to here, so an answer fits in a couple of messages. */
export const MAX_EXTRACTIVE_ANSWER_CHARS = 3_000;

const quoteSentence = (sentence: string) => truncateText(sentence, MAX_QUOTED_SENTENCE_CHARS);
const showTitle = (title: string) => truncateText(title, MAX_SHOWN_TITLE_CHARS);

/**
 * Keep the whole lines of `lines` that fit in `MAX_EXTRACTIVE_ANSWER_CHARS` (a line "…" marks the cut),
 * and only the cited papers whose `[n]` is still in the text.
 */
function capAnswer(lines: readonly string[], cited: readonly CitedPaper[]): ExtractiveAnswer {
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > MAX_EXTRACTIVE_ANSWER_CHARS - 2) {
      kept.push('…');
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  const answer = kept.join('\n');
  return { answer, cited: cited.filter((c) => answer.includes(`[${c.n}]`)) };
}

/** A paper with the number it is cited by in an extractive answer. */
export interface CitedPaper {
  n: number;
  paper: Paper;
}

export interface ExtractiveAnswer {
  answer: string;
  cited: CitedPaper[];
}

/** Inverse document frequency over a set of papers (title + abstract). */
export function buildIdf(papers: readonly Paper[]): (term: string) => number {
  const df = new Map<string, number>();
  for (const paper of papers) {
    for (const term of new Set(tokenize(`${paper.title} ${paper.abstract}`))) df.set(term, (df.get(term) ?? 0) + 1);
  }
  return termIdf({ size: papers.length, documentFrequency: (term) => df.get(term) ?? 0 });
}

/**
 * The extractive answers' inverse document frequency from a corpus's term statistics (the lexical
 * index's document frequencies over title + abstract: the same counts as {@link buildIdf}'s).
 */
export function termIdf(statistics: { readonly size: number; documentFrequency(term: string): number }): (term: string) => number {
  const total = Math.max(1, statistics.size);
  return (term) => Math.log(1 + total / (1 + statistics.documentFrequency(term)));
}

interface ScoredSentence {
  paperRank: number;
  index: number;
  text: string;
  score: number;
}

/** Score weight lost per rank step of a sentence's paper (rank 1 → ×1, rank 2 → ×0.8, …). */
const PAPER_RANK_DECAY = 0.25;
/** Sentences with more distinct terms than this are scored down (long sentences match by bulk). */
const INFORMATIVE_SENTENCE_TERMS = 12;
/** Beyond the first two, sentences scoring under this share of the best one are padding, not an answer. */
const MIN_SHARE_OF_BEST = 0.3;
const ALWAYS_KEPT_SENTENCES = 2;

/**
 * Offline answer to a question: the sentences of the top abstracts that share the most (idf-weighted) terms
 * with the query — at most `perPaper` per paper, `maxSentences` in all — each followed by its `[n]`.
 * Quoted sentences and the whole answer are capped (`MAX_QUOTED_SENTENCE_CHARS`, `MAX_EXTRACTIVE_ANSWER_CHARS`).
 */
export function extractAnswer(
  query: string,
  ranked: readonly Paper[],
  idf: (term: string) => number,
  options: { maxPapers?: number; maxSentences?: number; perPaper?: number } = {},
): ExtractiveAnswer {
  const maxPapers = options.maxPapers ?? 4;
  const maxSentences = options.maxSentences ?? 5;
  const perPaper = options.perPaper ?? 2;
  const queryTerms = new Set(tokenize(query));
  const candidates: ScoredSentence[] = [];
  ranked.slice(0, maxPapers).forEach((paper, paperRank) => {
    splitSentences(paper.abstract).forEach((text, index) => {
      const terms = new Set(tokenize(text));
      let score = 0;
      for (const term of queryTerms) if (terms.has(term)) score += idf(term);
      if (score === 0) return;
      // Prefer better-ranked papers and reasonably short, informative sentences.
      score *= 1 / (1 + PAPER_RANK_DECAY * paperRank);
      score /= Math.max(1, Math.sqrt(terms.size / INFORMATIVE_SENTENCE_TERMS));
      candidates.push({ paperRank, index, text, score });
    });
  });
  candidates.sort((a, b) => b.score - a.score);
  const floor = (candidates[0]?.score ?? 0) * MIN_SHARE_OF_BEST;
  const chosen: ScoredSentence[] = [];
  const perPaperCount = new Map<number, number>();
  for (const c of candidates) {
    if (chosen.length >= maxSentences || (chosen.length >= ALWAYS_KEPT_SENTENCES && c.score < floor)) break;
    const count = perPaperCount.get(c.paperRank) ?? 0;
    if (count >= perPaper) continue;
    perPaperCount.set(c.paperRank, count + 1);
    chosen.push(c);
  }
  // Nothing matched the words of the query: lead sentences of the top papers.
  if (chosen.length === 0) {
    ranked.slice(0, Math.min(2, maxPapers)).forEach((paper, paperRank) => {
      const first = splitSentences(paper.abstract)[0];
      if (first) chosen.push({ paperRank, index: 0, text: first, score: 0 });
    });
  }
  const numbering = numberInOrder(chosen.map((c) => c.paperRank).sort((a, b) => a - b));
  chosen.sort((a, b) => a.paperRank - b.paperRank || a.index - b.index);
  const lines = chosen.map((c) => `- ${quoteSentence(c.text)} [${numbering.get(c.paperRank)}]`);
  return capAnswer(lines, citedList(numbering, ranked));
}

function numberInOrder(ranks: readonly number[]): Map<number, number> {
  const numbering = new Map<number, number>();
  for (const rank of ranks) if (!numbering.has(rank)) numbering.set(rank, numbering.size + 1);
  return numbering;
}

function citedList(numbering: Map<number, number>, ranked: readonly Paper[]): CitedPaper[] {
  return [...numbering.entries()].map(([rank, n]) => ({ n, paper: ranked[rank]! }));
}

const ASPECT_CUE_WORDS = {
  problem: ['challenge', 'challenging', 'problem', 'limitation', 'however', 'remains', 'struggle', 'lack', 'difficult', 'issue', 'suffer', 'bottleneck', 'gap', 'costly', 'expensive', 'forgetting', 'fail', 'rely', 'despite', 'need', 'yet'],
  approach: ['propose', 'introduce', 'present', 'develop', 'method', 'framework', 'approach', 'design', 'novel', 'called', 'named', 'leverage', 'architecture', 'strategy', 'module', 'mechanism'],
  results: ['outperform', 'achieve', 'results', 'experiments', 'state-of-the-art', 'improve', 'improvement', 'demonstrate', 'show', 'accuracy', 'benchmark', 'evaluate', 'gains', 'surpass', 'effectiveness', 'superior', 'significantly'],
} as const;
type CueAspect = keyof typeof ASPECT_CUE_WORDS;
/** Cue words as stemmed search terms (what `tokenize` yields). */
const ASPECT_CUES = Object.fromEntries(
  Object.entries(ASPECT_CUE_WORDS).map(([aspect, cues]) => [aspect, [...new Set(cues.flatMap((c) => tokenize(c)))]]),
) as Record<CueAspect, string[]>;
export type Aspect = CueAspect;
export const ASPECTS: readonly Aspect[] = ['problem', 'approach', 'results'];
const ASPECT_LABEL: Record<Aspect, string> = { problem: 'Problem', approach: 'Approach', results: 'Results' };
/** Where in an abstract each aspect usually is (0 = start, 1 = end). */
const ASPECT_POSITION: Record<Aspect, number> = { problem: 0, approach: 0.45, results: 1 };

/** The sentence of an abstract that best states each aspect (problem / approach / results), chosen by cue words and position. */
export function keySentences(abstract: string): Partial<Record<Aspect, string>> {
  const sentences = splitSentences(abstract);
  const used = new Set<number>();
  const out: Partial<Record<Aspect, string>> = {};
  // Results first (numbers/cues are the clearest), then problem, then approach.
  for (const aspect of ['results', 'problem', 'approach'] as const) {
    let best = -1;
    let bestScore = 0;
    sentences.forEach((sentence, i) => {
      if (used.has(i)) return;
      const terms = new Set(tokenize(sentence));
      let score = 0;
      for (const cue of ASPECT_CUES[aspect]) if (terms.has(cue)) score += 1;
      if (aspect === 'results' && /\d+(\.\d+)?\s*%|\bsota\b/i.test(sentence)) score += 1.5;
      if (aspect === 'approach' && /\b(?:(?:we|this paper|this work)\s+(?:propose|introduce|present|develop)|our\s+(?:method|approach|framework|model|system))\b/i.test(sentence)) score += 2;
      if (aspect === 'results' && /https?:\/\//.test(sentence) && score < 2) score = 0.1; // a code link alone is not a result
      const position = sentences.length > 1 ? i / (sentences.length - 1) : 0.5;
      score += 0.8 * (1 - Math.abs(position - ASPECT_POSITION[aspect]));
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    if (best >= 0) {
      used.add(best);
      out[aspect] = sentences[best]!;
    }
  }
  return out;
}

/** Offline comparison: the two abstracts side by side, one key sentence per aspect each, cited [1] and [2]. */
export function extractComparison(a: Paper, b: Paper): ExtractiveAnswer {
  const ka = keySentences(a.abstract);
  const kb = keySentences(b.abstract);
  const lines = [`Comparing **${showTitle(a.title)}** [1] with **${showTitle(b.title)}** [2].`];
  const said = (sentence: string | undefined) => (sentence === undefined ? 'The abstract does not say.' : quoteSentence(sentence));
  for (const aspect of ASPECTS) {
    lines.push('', `**${ASPECT_LABEL[aspect]}**`);
    lines.push(`- *${shortName(a.title)}*: ${said(ka[aspect])} [1]`);
    lines.push(`- *${shortName(b.title)}*: ${said(kb[aspect])} [2]`);
  }
  const shared = sharedTerms(a, b, SHARED_TERMS_SHOWN);
  if (shared.length) lines.push('', `**Shared terms:** ${shared.join(', ')}`);
  return capAnswer(lines, [{ n: 1, paper: a }, { n: 2, paper: b }]);
}

/** How many shared terms an offline comparison lists. */
const SHARED_TERMS_SHOWN = 6;
/** A title's part before ':' is its short name when it is at most this long ("VideoMAE V2"). */
const MAX_SHORT_NAME_CHARS = 40;
/** …else the short name is the title's first words. */
const SHORT_NAME_WORDS = 6;

/** A short display name: the part of the title before ':' when short, else its first words. */
export function shortName(title: string): string {
  const head = title.split(':')[0]!.trim();
  if (head.length <= MAX_SHORT_NAME_CHARS && head.length < title.length) return head;
  const first = title.split(/\s+/).slice(0, SHORT_NAME_WORDS).join(' ');
  return first.length < title.length ? `${truncateText(first, MAX_SHOWN_TITLE_CHARS - 2)} …` : showTitle(title);
}

/** Content words both papers use (surface forms), most frequent first. */
function sharedTerms(a: Paper, b: Paper, limit: number): string[] {
  const count = (p: Paper) => {
    const m = new Map<string, { n: number; surface: string }>();
    for (const w of words(`${p.title} ${p.abstract}`)) {
      if (isStopWord(w) || w.length < 4 || /^\d/.test(w)) continue;
      const s = stem(w);
      const e = m.get(s);
      if (e) e.n++;
      else m.set(s, { n: 1, surface: w });
    }
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  return [...ca.entries()]
    .filter(([s]) => cb.has(s))
    .map(([s, e]) => ({ surface: e.surface, n: Math.min(e.n, cb.get(s)!.n) }))
    .sort((x, y) => y.n - x.n)
    .slice(0, limit)
    .map((e) => e.surface);
}

export interface PaperGroup {
  /** A few characteristic words of the group. */
  label: string[];
  /** Indexes into the papers given, in input order. */
  members: number[];
}

/**
 * Group papers by similarity: tf-idf vectors of their title + abstract terms, then greedy clustering
 * (each paper joins the most similar existing group above `threshold`, else starts one). `ignoreTerms` (the topic's
 * own terms, shared by every paper) are left out so the groups split on what differs.
 */
export function groupPapers(papers: readonly Paper[], idf: (term: string) => number, options: { threshold?: number; ignoreTerms?: Iterable<string> } = {}): PaperGroup[] {
  const threshold = options.threshold ?? 0.1;
  const ignore = new Set(options.ignoreTerms ?? []);
  const vectors = papers.map((p) => {
    const v = tfidf(`${p.title} ${p.title} ${p.abstract}`, idf);
    for (const t of ignore) v.delete(t);
    return v;
  });
  const groups: { members: number[]; centroid: Map<string, number> }[] = [];
  vectors.forEach((vector, i) => {
    let best = -1;
    let bestSim = threshold;
    groups.forEach((g, gi) => {
      const sim = cosine(vector, g.centroid);
      if (sim > bestSim) {
        bestSim = sim;
        best = gi;
      }
    });
    if (best < 0) groups.push({ members: [i], centroid: new Map(vector) });
    else {
      const g = groups[best]!;
      g.members.push(i);
      for (const [t, w] of vector) g.centroid.set(t, (g.centroid.get(t) ?? 0) + w);
    }
  });
  return groups.map((g) => ({ members: g.members, label: groupLabel(g.members.map((i) => papers[i]!), g.centroid, 3) }));
}

function tfidf(text: string, idf: (term: string) => number): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of tokenize(text)) if (t.length > 2 && !/^\d+$/.test(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
  const v = new Map<string, number>();
  for (const [t, n] of tf) v.set(t, (1 + Math.log(n)) * idf(t));
  return v;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, w] of a) {
    na += w * w;
    const o = b.get(t);
    if (o !== undefined) dot += w * o;
  }
  for (const w of b.values()) nb += w * w;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

function groupLabel(members: readonly Paper[], centroid: Map<string, number>, limit: number): string[] {
  const surface = new Map<string, string>();
  for (const p of members) for (const w of words(`${p.title} ${p.abstract}`)) if (!surface.has(stem(w))) surface.set(stem(w), w);
  // Terms shared by several members first (what the group is about), then by weight.
  const memberTerms = members.map((p) => new Set(tokenize(`${p.title} ${p.abstract}`)));
  const inMembers = (t: string) => memberTerms.filter((terms) => terms.has(t)).length;
  return [...centroid.entries()]
    .filter(([t]) => surface.has(t) && t.length > 2)
    .map(([t, w]) => ({ t, w: w * (members.length > 1 ? inMembers(t) : 1) }))
    .sort((x, y) => y.w - x.w)
    .slice(0, limit)
    .map((e) => surface.get(e.t) ?? e.t);
}

/** Longest one-sentence gist of a paper in an offline summary. */
const MAX_GIST_CHARS = 260;

/** One-sentence gist of an abstract: its approach sentence, else its first (cut on a word boundary). */
export function gistSentence(abstract: string, maxChars = MAX_GIST_CHARS): string {
  const sentence = keySentences(abstract).approach ?? splitSentences(abstract)[0] ?? abstract;
  return truncateText(sentence, maxChars, { ellipsis: ' …' });
}

/** Offline topic summary: papers grouped into themes, a one-sentence gist each, every paper cited. */
export function extractSummary(topic: string, papers: readonly Paper[], idf: (term: string) => number): ExtractiveAnswer {
  const groups = groupPapers(papers, idf, { ignoreTerms: [...tokenize(topic), 'learn', 'model', 'method'] });
  const lines: string[] = [`Papers on "${truncateText(topic, MAX_SHOWN_TITLE_CHARS)}", grouped by shared terms:`];
  const cited: CitedPaper[] = [];
  for (const group of groups) {
    lines.push('', `**${group.label.join(', ')}**`);
    for (const i of group.members) {
      const paper = papers[i]!;
      const n = cited.length + 1;
      cited.push({ n, paper });
      lines.push(`- *${showTitle(paper.title)}* — ${gistSentence(paper.abstract)} [${n}]`);
    }
  }
  return capAnswer(lines, cited);
}
