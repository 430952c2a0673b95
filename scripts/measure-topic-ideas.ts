/**
 * Issue 11, part 2 (topic recall): the ideas measured for whole-topic queries, each as a re-ranking
 * of the hybrid searcher's candidates, on the TUNING sets only (the held-out halves are never read
 * here). For each idea: topic recall@10 on topic-queries-tuning and R@1 / R@5 on the other tuning sets,
 * so a gain on topics that costs questions shows. None of them is in the app: when measured (issue 11)
 * none raised topic recall@10 on the tuning half above the hybrid's own. The facet split is applied to
 * every query here (questions with "and" included); a real path would keep it to topic-like queries.
 *
 *   npx tsx scripts/measure-topic-ideas.ts [--verbose]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { extractAbbreviations, withDistinctAliases } from '../src/corpus/extract-aliases.js';
import type { Paper } from '../src/corpus/paper.js';
import { parseCorpusFile } from '../src/corpus/parse-corpus-file.js';
import { createOfflineEmbedder } from '../src/embedding/offline-embedder.js';
import { evaluateRetrieval } from '../src/eval/evaluate-retrieval.js';
import { loadEvalQuestions } from '../src/eval/load-eval-questions.js';
import { InMemoryVectorIndex } from '../src/retrieval/in-memory-vector-index.js';
import type { WeightedTerm } from '../src/retrieval/candidate-source.js';
import { bm25Idf, LexicalIndex } from '../src/retrieval/lexical-index.js';
import { mentionCounter } from '../src/retrieval/match-aliases.js';
import { paperEmbeddingText } from '../src/retrieval/paper-embedding-text.js';
import { createHybridSearcher, type ScoredCandidate } from '../src/retrieval/search-papers.js';
import type { PaperSearcher } from '../src/retrieval/search-types.js';
import { isStopWord, splitSentences, stem, tokenize, words } from '../src/text/tokenize.js';

const { values: args } = parseArgs({ options: { verbose: { type: 'boolean', default: false } } });
const EVAL_DIR = path.join(PROJECT_ROOT, 'data', 'eval');
const QUESTION_SETS = ['dev-questions', 'paraphrase-questions', 'hard-paraphrase-tuning', 'method-names-tuning'];
const TOPIC_SET = 'topic-queries-tuning';

const embedder = await createOfflineEmbedder();
const loaded = (await parseCorpusFile(path.join(PROJECT_ROOT, 'data', 'corpus', 'hf-trending-papers.txt'))).papers;
const paperVectors = await embedder.embed(loaded.map(paperEmbeddingText));
const vectorOf = new Map(loaded.map((p, i) => [p.id, paperVectors[i]!]));
const vectors = new InMemoryVectorIndex(loaded.map((p, i) => ({ id: p.id, vector: paperVectors[i]! })));
const lexical = LexicalIndex.build(loaded);
const papers = withDistinctAliases(loaded, mentionCounter(lexical));
const byId = new Map(papers.map((p) => [p.id, p]));
const hybrid = createHybridSearcher({ papers, lexical, vectors, embedder });

/** A ranking of papers (ids, best first) with a score each. */
type Ranking = [string, number][];
const ranked = (scores: Map<string, number>): Ranking => [...scores].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
const normalised = (cs: readonly ScoredCandidate[]) => new Map(cs.map((c) => [c.id, c.fused / (cs[0]?.fused || 1)]));
/** (1 − w) · fused (max-normalised) + w · extra, over every paper either side scores. */
function blend(cs: readonly ScoredCandidate[], extra: Map<string, number>, w: number): Ranking {
  const out = new Map<string, number>();
  for (const [id, s] of normalised(cs)) out.set(id, (1 - w) * s);
  for (const [id, s] of extra) out.set(id, (out.get(id) ?? 0) + w * s);
  return ranked(out);
}
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** Facets of a topic: split on and / or / commas; a trailing "of / for / in / on / with …" of the last facet is shared by the others. */
function facetsOf(topic: string): string[] {
  const parts = topic.split(/\s*(?:,|;|&|\band\b|\bor\b|\bvs\.?|\bversus\b)\s*/i).filter(Boolean);
  if (parts.length < 2) return [topic];
  const tail = /\s((?:of|for|in|on|with)\s.+)$/i.exec(parts.at(-1)!)?.[1];
  return parts.map((p, i) => (tail && i < parts.length - 1 && !/\s(?:of|for|in|on|with)\s/i.test(p) ? `${p} ${tail}` : p));
}
async function facetFusion(query: string, mode: 'max' | 'rrf'): Promise<Ranking> {
  const facets = facetsOf(query);
  const lists = await Promise.all([query, ...(facets.length > 1 ? facets : [])].map((f) => hybrid.scoreCandidates(f)));
  const out = new Map<string, number>();
  for (const list of lists) {
    list.forEach((c, i) => {
      const s = mode === 'rrf' ? 1 / (60 + i) : c.fused / (list[0]?.fused || 1);
      out.set(c.id, mode === 'rrf' ? (out.get(c.id) ?? 0) + s : Math.max(out.get(c.id) ?? 0, s));
    });
  }
  return ranked(out);
}

/** Lexical pseudo-relevance feedback: the top 10 TF-IDF terms shared by at least 2 of the top 5 hits, searched with the query (weight ≤ 0.5). */
async function lexicalFeedback(query: string, w: number): Promise<Ranking> {
  const cs = await hybrid.scoreCandidates(query);
  const own = new Set(lexical.queryTerms(query).map((t) => t.term));
  const mass = new Map<string, number>();
  const docs = new Map<string, number>();
  for (const c of cs.slice(0, 5)) {
    const paper = byId.get(c.id)!;
    const weights = lexical.termWeights(`${paper.title} ${paper.abstract}`);
    const norm = Math.sqrt([...weights.values()].reduce((s, x) => s + x * x, 0)) || 1;
    for (const [t, x] of weights) {
      if (own.has(t) || lexical.documentFrequency(t) < 2) continue;
      mass.set(t, (mass.get(t) ?? 0) + x / norm);
      docs.set(t, (docs.get(t) ?? 0) + 1);
    }
  }
  const expansion = [...mass].filter(([t]) => docs.get(t)! >= 2).sort((a, b) => b[1] - a[1]).slice(0, 10);
  const top = expansion[0]?.[1] || 1;
  const terms: WeightedTerm[] = [...[...own].map((term) => ({ term })), ...expansion.map(([term, x]) => ({ term, weight: (0.5 * x) / top, coverage: false }))];
  const matches = lexical.searchTerms(terms, 100);
  return blend(cs, new Map(matches.map((m) => [m.id, m.score / (matches[0]?.score || 1)])), w);
}

/** Dense pseudo-relevance feedback (Rocchio): the centroid of the top 5 hits' vectors as a second dense query. */
async function denseFeedback(query: string, w: number): Promise<Ranking> {
  const cs = await hybrid.scoreCandidates(query);
  const centroid = new Array<number>(paperVectors[0]!.length).fill(0);
  for (const c of cs.slice(0, 5)) vectorOf.get(c.id)!.forEach((x, i) => (centroid[i]! += x));
  const matches = await vectors.query(centroid, 100);
  const top = matches[0]?.score ?? 1;
  return blend(cs, new Map(matches.map((m) => [m.id, Math.max(0, (m.score - 0.2) / (top - 0.2))])), w);
}

/** The corpus's own abbreviations (defined in ≥ 2 abstracts, one long form in the majority): "LLM" → "large language model". */
function corpusAbbreviations(corpus: readonly Paper[]): Map<string, string> {
  const seen = new Map<string, Map<string, number>>();
  for (const p of corpus) {
    for (const a of extractAbbreviations(`${p.title}. ${p.abstract}`)) {
      const short = a.short.toLowerCase().replace(/s$/, '');
      const forms = seen.get(short) ?? new Map<string, number>();
      seen.set(short, forms.set(a.long.toLowerCase().replace(/s$/, ''), (forms.get(a.long.toLowerCase().replace(/s$/, '')) ?? 0) + 1));
    }
  }
  const out = new Map<string, string>();
  for (const [short, forms] of seen) {
    const total = [...forms.values()].reduce((s, n) => s + n, 0);
    const [long, n] = [...forms].sort((a, b) => b[1] - a[1])[0]!;
    if (total >= 2 && n > total / 2) out.set(short, long);
  }
  return out;
}
const abbreviations = corpusAbbreviations(loaded);
function withLongForms(query: string): string {
  const add = new Set<string>();
  for (const word of words(query)) for (const part of [word, ...word.split('-')]) {
    const long = abbreviations.get(part.replace(/s$/, ''));
    if (long && !query.toLowerCase().includes(long)) add.add(long);
  }
  return add.size ? `${query} ${[...add].join(' ')}` : query;
}

/** Second dense view: a paper's best sentence (title or abstract sentence) cosine to the query. */
const sentenceVectors = new Map<string, Float32Array[] | number[][]>();
for (const p of loaded) sentenceVectors.set(p.id, await embedder.embed([p.title, ...splitSentences(p.abstract)]));
async function bestSentenceView(query: string, w: number): Promise<Ranking> {
  const [q] = await embedder.embed([query]);
  const best = new Map([...sentenceVectors].map(([id, vs]) => [id, Math.max(...vs.map((v) => dot(v, q!)))]));
  const top = Math.max(...best.values());
  for (const [id, s] of best) best.set(id, Math.max(0, (s - 0.2) / (top - 0.2)));
  return blend(await hybrid.scoreCandidates(query), best, w);
}

/** A title-only dense view (titles are short noun phrases, as topics are): the title's cosine to the query. */
const titleVectors = new Map(loaded.map((p, i) => [p.id, i]));
const titleEmbeddings = await embedder.embed(loaded.map((p) => p.title));
async function titleView(query: string, w: number): Promise<Ranking> {
  const [q] = await embedder.embed([query]);
  const cos = new Map([...titleVectors].map(([id, i]) => [id, dot(titleEmbeddings[i]!, q!)]));
  const top = Math.max(...cos.values());
  for (const [id, s] of cos) cos.set(id, Math.max(0, (s - 0.2) / (top - 0.2)));
  return blend(await hybrid.scoreCandidates(query), cos, w);
}

/** Sentence-level lexical scoring: the largest share of the query's IDF mass that one sentence of the paper holds. */
const sentenceTerms = new Map(loaded.map((p) => [p.id, [p.title, ...splitSentences(p.abstract)].map((s) => new Set(tokenize(s)))]));
async function sentenceCoverage(query: string, w: number): Promise<Ranking> {
  const terms = lexical.queryTerms(query);
  const total = terms.reduce((s, t) => s + t.idf, 0) || 1;
  const share = (set: Set<string>) => terms.reduce((s, t) => s + (set.has(t.term) ? t.idf : 0), 0) / total;
  const cs = await hybrid.scoreCandidates(query);
  return blend(cs, new Map(cs.map((c) => [c.id, Math.max(...sentenceTerms.get(c.id)!.map(share))])), w);
}

/** Phrases: the IDF-weighted share of the query's adjacent content-word pairs ("language model") the paper has adjacent too. */
const pairsOf = (text: string) => {
  const ws = words(text).flatMap((x) => x.split(/[-']/)).filter((x) => x && !isStopWord(x)).map(stem);
  return new Set(ws.slice(1).map((x, i) => `${ws[i]} ${x}`));
};
const paperPairs = new Map(loaded.map((p) => [p.id, pairsOf(`${p.title}. ${p.abstract}`)]));
const pairDf = new Map<string, number>();
for (const set of paperPairs.values()) for (const pair of set) pairDf.set(pair, (pairDf.get(pair) ?? 0) + 1);
async function phraseMatch(query: string, w: number): Promise<Ranking> {
  const pairs = [...pairsOf(query)].map((pair) => ({ pair, idf: bm25Idf(pairDf.get(pair) ?? 0, loaded.length) }));
  const total = pairs.reduce((s, x) => s + x.idf, 0) || 1;
  const cs = await hybrid.scoreCandidates(query);
  const score = (id: string) => pairs.reduce((s, x) => s + (paperPairs.get(id)!.has(x.pair) ? x.idf : 0), 0) / total;
  return blend(cs, new Map(cs.map((c) => [c.id, score(c.id)])), w);
}

const asSearcher = (rank: (query: string) => Promise<Ranking>): PaperSearcher => ({
  async search(query, options = {}) {
    const hits = (await rank(query)).slice(0, options.k ?? 10).map(([id, score]) => ({ paper: byId.get(id)!, score, relevant: true }));
    return { query, relevant: true, hits };
  },
});
const ideas: [string, PaperSearcher][] = [
  ['hybrid as is (baseline)', asSearcher(async (q) => ranked(normalised(await hybrid.scoreCandidates(q))))],
  ['facets searched separately, max of scores', asSearcher((q) => facetFusion(q, 'max'))],
  ['facets searched separately, RRF', asSearcher((q) => facetFusion(q, 'rrf'))],
  ['lexical pseudo-relevance feedback (0.3)', asSearcher((q) => lexicalFeedback(q, 0.3))],
  ['lexical pseudo-relevance feedback (0.5)', asSearcher((q) => lexicalFeedback(q, 0.5))],
  ['dense feedback, centroid of top 5 (0.3)', asSearcher((q) => denseFeedback(q, 0.3))],
  ['corpus abbreviations added to the query', asSearcher(async (q) => ranked(normalised(await hybrid.scoreCandidates(withLongForms(q)))))],
  ['second dense view: best sentence (0.2)', asSearcher((q) => bestSentenceView(q, 0.2))],
  ['title-only dense view (0.2)', asSearcher((q) => titleView(q, 0.2))],
  ['sentence-level lexical coverage (0.15)', asSearcher((q) => sentenceCoverage(q, 0.15))],
  ['sentence-level lexical coverage (0.3)', asSearcher((q) => sentenceCoverage(q, 0.3))],
  ['adjacent-word pairs (phrases) (0.2)', asSearcher((q) => phraseMatch(q, 0.2))],
  ['adjacent-word pairs (phrases) (0.35)', asSearcher((q) => phraseMatch(q, 0.35))],
];

const topics = loadEvalQuestions(path.join(EVAL_DIR, `${TOPIC_SET}.jsonl`));
const questionSets = QUESTION_SETS.map((name) => [name, loadEvalQuestions(path.join(EVAL_DIR, `${name}.jsonl`))] as const);
console.log(`tuning sets only; topic recall@10 on ${TOPIC_SET} (${topics.length} topics), R@1 / R@5 on ${QUESTION_SETS.join(', ')}`);
for (const [label, searcher] of ideas) {
  const t = await evaluateRetrieval(searcher, topics, papers);
  const rest = [];
  for (const [name, qs] of questionSets) {
    const e = await evaluateRetrieval(searcher, qs, papers);
    rest.push(`${name.replace(/-(questions|tuning)$/, '')} ${e.r1.toFixed(3)}/${e.r5.toFixed(3)}`);
  }
  console.log(`  ${label.padEnd(44)} topics ${t.recall10.toFixed(3)}  |  ${rest.join('  ')}`);
  if (args.verbose) for (const q of t.perQuestion) console.log(`     ${q.id} ranks=${JSON.stringify(q.ranks)}`);
}
