/**
 * Prints retrieval figures on the bundled corpus: R@1/5/10, MRR and all-in-top-10 on the dev and
 * paraphrase question sets (hybrid vs stemmed-BM25-only vs dense-only), calibration on off-topic
 * queries, query latency, embedder load time and asset size.
 *
 *   npx tsx scripts/measure-retrieval.ts [--grid] [--verbose] [--heldout]
 *
 * `--heldout` adds the held-out paraphrase and off-topic sets (written before tuning; report only,
 * never tune on them). SCALE_N=0 skips the 100k synthetic scale check.
 */
import { readFileSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Paper } from '../src/corpus/paper.js';
import { createOfflineEmbedder, DEFAULT_EMBEDDING_ASSET_DIR } from '../src/embedding/offline-embedder.js';
import { evaluateRetrieval, type RetrievalEvaluation } from '../src/eval/evaluate-retrieval.js';
import { loadEvalQuestions } from '../src/eval/load-eval-questions.js';
import { InMemoryVectorIndex } from '../src/retrieval/in-memory-vector-index.js';
import { LexicalIndex } from '../src/retrieval/lexical-index.js';
import { paperEmbeddingText } from '../src/retrieval/paper-embedding-text.js';
import type { HybridTuning } from '../src/retrieval/hybrid-tuning.js';
import { createHybridSearcher } from '../src/retrieval/search-papers.js';
import type { PaperSearcher } from '../src/retrieval/search-types.js';
import { BUNDLED_CORPUS_FILE, DEV_QUESTIONS_FILE, PARAPHRASE_QUESTIONS_FILE, loadTestCorpus } from '../test/support/load-test-corpus.js';

const { values: args } = parseArgs({
  options: { grid: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false }, heldout: { type: 'boolean', default: false } },
});
// Held-out sets: written before tuning; only for final reports (`--heldout`), never for tuning.
const HELDOUT_PARAPHRASE_FILE = path.join(path.dirname(DEV_QUESTIONS_FILE), 'paraphrase-heldout-questions.jsonl');
const HELDOUT_OFF_TOPIC_FILE = path.join(path.dirname(DEV_QUESTIONS_FILE), 'off-topic-heldout-queries.jsonl');

const OFF_TOPIC = [
  'best sourdough bread recipe',
  'who won the 2018 world cup',
  'asdkjh qwe',
  'how do I fix a leaking kitchen faucet',
  'cheap flights to lisbon in july',
  'symptoms of vitamin d deficiency',
  'lyrics of bohemian rhapsody',
  'what is the capital of australia',
  'tax deadline for self-employed people',
  'how to train a puppy to sit',
  'stock price of apple tomorrow',
  'weather in paris next week',
  'football transfer news',
  'knitting patterns for beginners',
  'recipe for chocolate cake',
];

const t0 = performance.now();
const embedder = await createOfflineEmbedder();
const loadMs = performance.now() - t0;
const papers: Paper[] = loadTestCorpus(BUNDLED_CORPUS_FILE);
const t1 = performance.now();
const paperVectors = await embedder.embed(papers.map(paperEmbeddingText));
const embedMs = performance.now() - t1;
const vectors = new InMemoryVectorIndex(papers.map((p, i) => ({ id: p.id, vector: paperVectors[i]! })));
const lexical = LexicalIndex.build(papers);
const dev = loadEvalQuestions(DEV_QUESTIONS_FILE);
const para = loadEvalQuestions(PARAPHRASE_QUESTIONS_FILE);

const make = (tuning: Partial<HybridTuning>) => createHybridSearcher({ papers, lexical, vectors, embedder, tuning });
// Baselines: plain stemmed BM25 and plain dense (no soft matching).
const plain: Partial<HybridTuning> = { softWeight: 0 };
const bm25Only: PaperSearcher = make({ ...plain, lexicalWeight: 1, denseWeight: 0 });
const denseOnly: PaperSearcher = make({ ...plain, lexicalWeight: 0, denseWeight: 1 });
const previous: PaperSearcher = make({ ...plain });
const hybrid = make({});

const fmt = (e: RetrievalEvaluation) =>
  `R@1 ${e.r1.toFixed(3)}  R@5 ${e.r5.toFixed(3)}  R@10 ${e.r10.toFixed(3)}  MRR ${e.mrr.toFixed(3)}  all-in-top-10 ${e.allInTop10.toFixed(3)}`;

if (args.grid) {
  const rows: { t: Partial<HybridTuning>; d: RetrievalEvaluation; p: RetrievalEvaluation }[] = [];
  for (const lw of [0.3, 0.4, 0.5, 0.6, 0.7])
    for (const floor of [0, 0.2, 0.4])
      for (const softWeight of [0, 0.25, 0.5, 0.75]) {
        const t: Partial<HybridTuning> = { lexicalWeight: lw, denseWeight: 1 - lw, denseFloor: floor, softWeight };
        const s = make(t);
        rows.push({ t, d: await evaluateRetrieval(s, dev, papers), p: await evaluateRetrieval(s, para, papers) });
      }
  rows.sort((a, b) => b.d.mrr + b.p.mrr - (a.d.mrr + a.p.mrr));
  for (const r of rows) console.log(JSON.stringify(r.t), '\n   dev ', fmt(r.d), '\n   para', fmt(r.p));
  process.exit(0);
}

console.log(`embedder ${embedder.id}: load ${loadMs.toFixed(1)} ms; embedded ${papers.length} papers in ${embedMs.toFixed(1)} ms (${((papers.length / embedMs) * 1000).toFixed(0)} abstracts/s)`);
const assetBytes = readdirSync(DEFAULT_EMBEDDING_ASSET_DIR).reduce((s, f) => s + statSync(path.join(DEFAULT_EMBEDDING_ASSET_DIR, f)).size, 0);
console.log(`asset ${DEFAULT_EMBEDDING_ASSET_DIR}: ${(assetBytes / 1e6).toFixed(2)} MB`);

const sets: [string, typeof dev][] = [['dev', dev], ['paraphrase (tuning)', para]];
if (args.heldout) sets.push(['paraphrase HELD-OUT', loadEvalQuestions(HELDOUT_PARAPHRASE_FILE)]);
for (const [name, set] of sets) {
  console.log(`\n${name} (${set.length} questions)`);
  for (const [label, s] of [['hybrid   ', hybrid], ['bm25 only', bm25Only], ['dense only', denseOnly], ['hybrid v1 (before soft matching)', previous]] as const) {
    const e = await evaluateRetrieval(s, set, papers);
    console.log(`  ${label}  ${fmt(e)}  relevant=${e.perQuestion.filter((q) => q.relevant).length}/${e.count}`);
    if (args.verbose && label === 'hybrid   ') {
      for (const q of e.perQuestion.filter((x) => x.firstRank !== 1 || !x.ranks.every((r) => r !== null && r <= 10)))
        console.log(`     ${q.id} ranks=${JSON.stringify(q.ranks)} ${q.question.slice(0, 70)} → ${q.top[0]}`);
    }
  }
}

const offTopicSets: [string, string[]][] = [['off-topic queries (tuning)', OFF_TOPIC]];
if (args.heldout) {
  const lines = readFileSync(HELDOUT_OFF_TOPIC_FILE, 'utf8').split('\n').filter((l) => l.trim());
  offTopicSets.push(['off-topic queries HELD-OUT', lines.map((l) => (JSON.parse(l) as { question: string }).question)]);
}
for (const [name, queries] of offTopicSets) {
  console.log(`\n${name} (want relevant=false):`);
  let falsePositives = 0;
  for (const q of queries) {
    const r = await hybrid.search(q, { k: 5 });
    const old = await previous.search(q, { k: 5 });
    if (r.relevant) falsePositives++;
    const top = (await hybrid.scoreCandidates(q))[0];
    console.log(`  relevant=${r.relevant} (v1: ${old.relevant})  top: cos=${top?.cosine.toFixed(3) ?? '-'} cov=${top?.coverage.toFixed(2) ?? '-'} soft=${top?.soft.toFixed(2) ?? '-'}  ${q}`);
  }
  console.log(`  → ${falsePositives}/${queries.length} wrongly marked relevant`);
}

const all = [...dev, ...para].map((q) => q.question);
// Latency with cold per-word neighbour caches: a fresh searcher (its one-off neighbour index built
// by a warm-up query), each question asked once; then repeated (warm caches).
const fresh = make({});
const w0 = performance.now();
await fresh.search('warm-up', { k: 10 });
const warmMs = performance.now() - w0;
const coldTimes: number[] = [];
for (const q of all) {
  const s = performance.now();
  await fresh.search(q, { k: 10 });
  coldTimes.push(performance.now() - s);
}
const times: number[] = [];
for (let rep = 0; rep < 5; rep++)
  for (const q of all) {
    const s = performance.now();
    await hybrid.search(q, { k: 10 });
    times.push(performance.now() - s);
  }
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!.toFixed(2);
console.log(`\nfirst search of a fresh searcher (builds the neighbour index): ${warmMs.toFixed(1)} ms`);
console.log(`query latency, unseen queries (${coldTimes.length}): p50 ${pct(coldTimes, 0.5)} ms, p95 ${pct(coldTimes, 0.95)} ms`);
console.log(`query latency over ${times.length} searches (warm): p50 ${pct(times, 0.5)} ms, p95 ${pct(times, 0.95)} ms`);

// Scale check: a synthetic corpus of N papers made by recombining sentences of the real abstracts.
const scaleN = Number(process.env.SCALE_N ?? 100_000);
if (scaleN > 0) {
  const sentences = papers.flatMap((p) => p.abstract.split(/(?<=\.)\s+/));
  let seed = 42;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = () => sentences[Math.floor(rand() * sentences.length)]!;
  const big: Paper[] = Array.from({ length: scaleN }, (_, i) => ({
    ...papers[i % papers.length]!,
    id: `synthetic-${i}`,
    title: pick().slice(0, 90),
    abstract: Array.from({ length: 8 }, pick).join(' '),
  }));
  const e0 = performance.now();
  const bigVectors: number[][] = [];
  for (let i = 0; i < big.length; i += 1000) bigVectors.push(...(await embedder.embed(big.slice(i, i + 1000).map(paperEmbeddingText))));
  const embedSec = (performance.now() - e0) / 1000;
  const l0 = performance.now();
  const bigLexical = LexicalIndex.build(big);
  const lexSec = (performance.now() - l0) / 1000;
  const bigVectorIndex = new InMemoryVectorIndex(big.map((p, i) => ({ id: p.id, vector: bigVectors[i]! })));
  const bigSearcher = createHybridSearcher({ papers: big, lexical: bigLexical, vectors: bigVectorIndex, embedder });
  const bigTimes: number[] = [];
  const lexTimes: number[] = [];
  for (const q of all.slice(0, 60)) {
    const s = performance.now();
    await bigSearcher.search(q, { k: 10 });
    bigTimes.push(performance.now() - s);
    const s2 = performance.now();
    bigLexical.search(q, 50);
    lexTimes.push(performance.now() - s2);
  }
  bigTimes.sort((a, b) => a - b);
  lexTimes.sort((a, b) => a - b);
  console.log(
    `\nscale ${scaleN} papers: embed ${embedSec.toFixed(1)} s (${(scaleN / embedSec).toFixed(0)} abstracts/s), lexical build ${lexSec.toFixed(1)} s, ` +
      `hybrid search p50 ${bigTimes[30]!.toFixed(1)} ms (of which BM25 p50 ${lexTimes[30]!.toFixed(1)} ms; dense = in-memory brute force), ` +
      `lexical JSON ${(bigLexical.toJSON().length / 1e6).toFixed(0)} MB`,
  );
}
