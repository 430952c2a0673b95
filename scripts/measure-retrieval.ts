/**
 * The tuning tool of the hybrid searcher: retrieval figures on the TUNING sets of data/eval (dev,
 * paraphrase-questions and the tuning halves of hard-paraphrase, topic-queries, method-names) for the
 * default searcher and ablations of its signals, plus calibration on everyday queries and latency.
 *
 *   npx tsx scripts/measure-retrieval.ts [--verbose] [--heldout] [--tuning '{"softWeight":0.25}']
 *
 * `--tuning` overrides the defaults (JSON of HybridTuning fields). `--heldout` adds the held-out sets
 * (report only: never choose a method or a parameter on them). `--verbose` lists the misses of the
 * tuning sets. The figures the README quotes come from `npm run bench`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { withDistinctAliases } from '../src/corpus/extract-aliases.js';
import { parseCorpusFile } from '../src/corpus/parse-corpus-file.js';
import { createOfflineEmbedder } from '../src/embedding/offline-embedder.js';
import { evaluateRetrieval, type RetrievalEvaluation } from '../src/eval/evaluate-retrieval.js';
import { loadEvalQuestions, type EvalQuestion } from '../src/eval/load-eval-questions.js';
import type { HybridTuning } from '../src/retrieval/hybrid-tuning.js';
import { InMemoryVectorIndex } from '../src/retrieval/in-memory-vector-index.js';
import { LexicalIndex } from '../src/retrieval/lexical-index.js';
import { mentionCounter } from '../src/retrieval/match-aliases.js';
import { paperEmbeddingText } from '../src/retrieval/paper-embedding-text.js';
import { createHybridSearcher } from '../src/retrieval/search-papers.js';

const { values: args } = parseArgs({
  options: { verbose: { type: 'boolean', default: false }, heldout: { type: 'boolean', default: false }, tuning: { type: 'string', default: '{}' } },
});
const EVAL_DIR = path.join(PROJECT_ROOT, 'data', 'eval');
const TUNING_SETS = ['dev-questions', 'paraphrase-questions', 'hard-paraphrase-tuning', 'topic-queries-tuning', 'method-names-tuning'];
const HELDOUT_SETS = ['paraphrase-heldout-questions', 'hard-paraphrase-heldout', 'topic-queries-heldout', 'method-names-heldout'];
/** Everyday queries for calibration while tuning (the held-out ones are in data/eval/off-topic-heldout-queries.jsonl). */
const OFF_TOPIC = [
  'best sourdough bread recipe', 'who won the 2018 world cup', 'asdkjh qwe', 'how do I fix a leaking kitchen faucet', 'cheap flights to lisbon in july',
  'symptoms of vitamin d deficiency', 'lyrics of bohemian rhapsody', 'what is the capital of australia', 'tax deadline for self-employed people',
  'how to train a puppy to sit', 'stock price of apple tomorrow', 'weather in paris next week', 'football transfer news', 'knitting patterns for beginners', 'recipe for chocolate cake',
];

const embedder = await createOfflineEmbedder();
const loaded = (await parseCorpusFile(path.join(PROJECT_ROOT, 'data', 'corpus', 'hf-trending-papers.txt'))).papers;
const paperVectors = await embedder.embed(loaded.map(paperEmbeddingText));
const vectors = new InMemoryVectorIndex(loaded.map((p, i) => ({ id: p.id, vector: paperVectors[i]! })));
const lexical = LexicalIndex.build(loaded);
const papers = withDistinctAliases(loaded, mentionCounter(lexical));
const base = JSON.parse(args.tuning) as Partial<HybridTuning>;
const make = (tuning: Partial<HybridTuning>) => createHybridSearcher({ papers, lexical, vectors, embedder, tuning: { ...base, ...tuning } });

const variants: [string, ReturnType<typeof make>][] = [
  ['hybrid (defaults + --tuning)', make({})],
  ['without aliases', make({ aliasWeight: 0 })],
  ['without soft matching', make({ softWeight: 0 })],
  ['BM25 only', make({ softWeight: 0, denseWeight: 0, aliasWeight: 0 })],
  ['dense only', make({ softWeight: 0, lexicalWeight: 0, aliasWeight: 0 })],
];
const fmt = (e: RetrievalEvaluation, topics: boolean) =>
  topics ? `recall@10 ${e.recall10.toFixed(3)}  all-in-top-10 ${e.allInTop10.toFixed(3)}` : `R@1 ${e.r1.toFixed(3)}  R@5 ${e.r5.toFixed(3)}  R@10 ${e.r10.toFixed(3)}  MRR ${e.mrr.toFixed(3)}  all-in-top-10 ${e.allInTop10.toFixed(3)}`;

for (const name of [...TUNING_SETS, ...(args.heldout ? HELDOUT_SETS : [])]) {
  const questions: EvalQuestion[] = loadEvalQuestions(path.join(EVAL_DIR, `${name}.jsonl`));
  const topics = questions.every((q) => q.kind === 'topic');
  console.log(`\n${name}${HELDOUT_SETS.includes(name) ? ' (HELD-OUT: report only)' : ''} (${questions.length})`);
  for (const [label, searcher] of variants) {
    for (const diverse of topics ? [false, true] : [false]) {
      const e = await evaluateRetrieval(searcher, questions, papers, { diverse });
      console.log(`  ${(label + (diverse ? ', diverse' : '')).padEnd(40)} ${fmt(e, topics)}  relevant ${e.perQuestion.filter((q) => q.relevant).length}/${e.count}`);
      if (args.verbose && !HELDOUT_SETS.includes(name) && label.startsWith('hybrid') && !diverse) {
        for (const q of e.perQuestion.filter((x) => x.ranks.some((r) => r === null || r > 5))) console.log(`     ${q.id} ranks=${JSON.stringify(q.ranks)} ${q.question.slice(0, 70)} → ${q.top[0]}`);
      }
    }
  }
}

const [label, hybrid] = variants[0]!;
let flagged = 0;
for (const q of OFF_TOPIC) if ((await hybrid.search(q, { k: 5 })).relevant) flagged++;
console.log(`\neveryday queries (tuning list), ${label}: ${flagged}/${OFF_TOPIC.length} wrongly flagged relevant`);

const all = TUNING_SETS.flatMap((name) => loadEvalQuestions(path.join(EVAL_DIR, `${name}.jsonl`)).map((q) => q.question));
const fresh = make({});
await fresh.search('warm-up', { k: 10 });
const times: number[] = [];
for (const q of all) {
  const started = performance.now();
  await fresh.search(q, { k: 10 });
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!.toFixed(2);
console.log(`latency, each tuning question once on a fresh searcher (${times.length}): p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms`);
