/**
 * `npm run bench`: the figures the README quotes, measured in one run on this machine.
 *   1. retrieval quality on each question set in data/eval: ours (the app's hybrid search) vs BM25 baselines;
 *      topic recall; method-name resolution; the relevance flag per set
 *   2. query latency at 252 papers: repeated queries (warm caches) and unseen queries (fresh searcher)
 *   3. `paperbot search` cold start (spawned CLI process → first result line)
 *   4. synthetic scale (10k / 100k abstracts): ingest time, index size, query p50, peak RSS (child processes)
 *   5. answering: prompt tokens vs budget, our own time per answer (instant fake model), extractive answers
 *   6. model-assisted retrieval (RETRIEVAL_ASSIST): model calls, tokens and latency per search with a fake model
 *   7. the claim check (scripts/bench-claims.ts)
 *   8. feeds: `scripts/bench-fetch.ts` (2,000 papers from a fake arXiv; fetch end → searchable in a running bot)
 * Env: BENCH_FETCH=0 skips 8, BENCH_SCALES=10000,100000 (0 or empty: skip), BENCH_COLD_RUNS=10, BENCH_QUERIES=500, BENCH_ASSIST_DELAY_MS=200.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPaperbot } from '../src/app/create-paperbot.js';
import type { Paperbot } from '../src/app/paperbot.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { parseCorpusFile } from '../src/corpus/parse-corpus-file.js';
import type { ChatMessage, ChatModel, Completion } from '../src/model/chat-model.js';
import type { PaperSearcher } from '../src/retrieval/search-types.js';
import { createLangchainBm25Searcher, createWinkBm25Searcher } from './bench-baselines.js';
import { loadQuestionSets, measureAliasExtraction, printAssistCost, printNameResolution, printRelevanceFlags, printRetrievalQuality } from './bench-retrieval.js';
import { writeSyntheticCorpus } from './bench-synthetic-corpus.js';
import { runScaleChild } from './run-scale-child.js';

const SCALES = (process.env.BENCH_SCALES ?? '10000,100000').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 10);
const QUERY_COUNT = Number(process.env.BENCH_QUERIES ?? 500);
const ASSIST_DELAY_MS = Number(process.env.BENCH_ASSIST_DELAY_MS ?? 200);
const ASSIST_QUESTIONS = 20;
const EVAL_DIR = path.join(PROJECT_ROOT, 'data', 'eval');
const BUNDLED = path.join(PROJECT_ROOT, 'data', 'corpus', 'hf-trending-papers.txt');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const EXT = path.extname(fileURLToPath(import.meta.url)); // .js from dist, .ts under tsx

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
};
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ok = (pass: boolean) => (pass ? 'yes' : 'NO');

/** Print an aligned text table (first column left, others right). */
function table(header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => `  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`;
  console.log(line(header));
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of cells.slice(1)) console.log(line(r));
}

function dirSize(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const s = statSync(path.join(dir, name));
    if (s.isFile()) total += s.size;
  }
  return total;
}

/** An in-process chat model that answers instantly, citing the first source (so timings are ours alone). */
function createInstantChatModel(): ChatModel {
  return {
    id: 'bench-instant',
    async complete(messages: readonly ChatMessage[]): Promise<Completion> {
      const promptChars = messages.reduce((s, m) => s + m.content.length, 0);
      const text = 'The closest paper addresses this directly [1].';
      return { text, model: 'bench-instant', usage: { promptTokens: Math.ceil(promptChars / 4), completionTokens: 12, totalTokens: Math.ceil(promptChars / 4) + 12, estimated: true } };
    },
  };
}

/** Spawn `node bin/paperbot.js search …` and time process start → first line on stdout. */
function coldSearch(dataDir: string, query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first: number | undefined;
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'paperbot.js'), 'search', query, '-k', '5'], {
      env: { PATH: process.env.PATH ?? '', PAPERBOT_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      if (first === undefined && d.toString().includes('\n')) first = performance.now() - started;
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 && first !== undefined ? resolve(first) : reject(new Error(`paperbot search failed (exit ${code}): ${err}`))));
  });
}

const root = mkdtempSync(path.join(tmpdir(), 'paperbot-bench-'));
const started = performance.now();
try {
  console.log(`paperbot benchmark — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${new Date().toISOString().slice(0, 10)}`);
  console.log(`load average (1 min) at start: ${loadavg()[0]!.toFixed(1)} (timings are inflated when it is above the core count: the machine is shared)`);

  // The app as built by createPaperbot (offline embedder, no model key) over a fresh data dir.
  const dataDir = path.join(root, 'app');
  const env = { PAPERBOT_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  let t = performance.now();
  const offline: Paperbot = await createPaperbot(loadConfig(env));
  const firstBuildMs = performance.now() - t;
  const papers = await offline.loadPapers((await offline.papers()).map((paper) => paper.id));
  console.log(`corpus: ${papers.length} papers; first-use index build (embed + write + lexical) ${ms(firstBuildMs)} ms`);

  // 1. Retrieval quality.
  console.log('\n1. Retrieval quality (questions in data/eval; R@k = share with an expected paper in the top k)');
  const hybrid: PaperSearcher = { search: (q, o) => offline.search(q, o) };
  const searchers: [string, PaperSearcher][] = [
    ['paperbot hybrid (BM25 + offline vectors)', hybrid],
    ['BM25, stemmed (wink-bm25 + wink-nlp, title x2)', createWinkBm25Searcher(papers)],
    ['BM25, plain (@langchain/community BM25Retriever)', createLangchainBm25Searcher(papers)],
  ];
  const questionSets = loadQuestionSets(EVAL_DIR);
  await printRetrievalQuality(questionSets, searchers, papers, table);
  console.log('\n  method names, resolved as `paperbot compare` / `paper` do (aliases extracted from abstracts)');
  await printNameResolution(questionSets, offline, table);

  // 1b. The calibrated "relevant" flag: on-topic questions should be answered, everyday ones refused.
  console.log('\n  relevance flag of paperbot hybrid (response.relevant; a refusal in ask/summarize when false)');
  await printRelevanceFlags(questionSets, EVAL_DIR, hybrid, table);

  // 2. Warm query latency.
  const allQuestions = [...questionSets.values()].flat().map((q) => q.question);
  const queries = Array.from({ length: QUERY_COUNT }, (_, i) => allQuestions[i % allQuestions.length]!);
  for (const q of queries.slice(0, 20)) await offline.search(q);
  const latencies: number[] = [];
  for (const q of queries) {
    t = performance.now();
    await offline.search(q, { k: 10 });
    latencies.push(performance.now() - t);
  }
  // Unseen queries: a fresh app (its searcher's per-word caches empty), one warm-up query (loads the
  // index and builds the word-neighbour index), then each distinct question searched once.
  const distinct = [...new Set(allQuestions)];
  const fresh: Paperbot = await createPaperbot(loadConfig(env));
  await fresh.search('a warm-up query about neural network training', { k: 10 });
  const unseen: number[] = [];
  for (const q of distinct) {
    t = performance.now();
    await fresh.search(q, { k: 10 });
    unseen.push(performance.now() - t);
  }
  await fresh.close();
  console.log(`\n2. Query latency, hybrid search at ${papers.length} papers (k = 10)`);
  table(
    ['queries', 'count', 'p50', 'p95', 'max'],
    [
      [`repeated (${distinct.length} distinct questions cycled; warm word caches)`, latencies.length, `${ms(pct(latencies, 0.5))} ms`, `${ms(pct(latencies, 0.95))} ms`, `${ms(Math.max(...latencies))} ms`],
      ['unseen (each distinct question once, fresh searcher after 1 warm-up query)', unseen.length, `${ms(pct(unseen, 0.5))} ms`, `${ms(pct(unseen, 0.95))} ms`, `${ms(Math.max(...unseen))} ms`],
    ],
  );

  // 3. CLI cold start.
  console.log(`\n3. \`paperbot search\` cold start: spawn \`node bin/paperbot.js search "…"\` → first result line (index already built, ${COLD_RUNS} runs)`);
  if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    console.log('  skipped: the CLI is not built (run `npm run build`)');
  } else {
    const cold: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) cold.push(await coldSearch(dataDir, allQuestions[i % allQuestions.length]!.slice(0, 80)));
    const bare = Array.from({ length: 5 }, () => {
      const s = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      return performance.now() - s;
    });
    table(['p50', 'max', 'target', 'met', 'bare `node -e 0` p50'], [[`${ms(pct(cold, 0.5))} ms`, `${ms(Math.max(...cold))} ms`, '<= 1000 ms', ok(Math.max(...cold) <= 1000), `${ms(pct(bare, 0.5))} ms`]]);
  }

  // 5 (before the big runs, in this process). Answering.
  const withModelConfig = loadConfig(env);
  const budget = withModelConfig.answer.contextTokenBudget;
  const withModel = await createPaperbot(withModelConfig, { chatModel: createInstantChatModel() });
  const dev = questionSets.get('dev-questions.jsonl') ?? [...questionSets.values()][0] ?? [];
  const promptTokens: number[] = [];
  const askMs: number[] = [];
  const extractiveMs: number[] = [];
  let refused = 0;
  for (const q of dev.slice(0, 5)) {
    await withModel.ask(q.question);
    await offline.ask(q.question);
  }
  for (let rep = 0; rep < 3; rep++) {
    for (const q of dev) {
      t = performance.now();
      const result = await withModel.ask(q.question);
      askMs.push(performance.now() - t);
      if (rep === 0) {
        if (result.estimatedPromptTokens !== undefined) promptTokens.push(result.estimatedPromptTokens);
        if (result.refused) refused++;
      }
      t = performance.now();
      await offline.ask(q.question);
      extractiveMs.push(performance.now() - t);
    }
  }
  const maxTokens = promptTokens.length ? Math.max(...promptTokens) : NaN;

  // 4. Synthetic scale.
  const scaleRows: (string | number)[][] = [];
  if (SCALES.length) {
    const source = (await parseCorpusFile(BUNDLED)).papers;
    const queriesFile = path.join(root, 'queries.json');
    writeFileSync(queriesFile, JSON.stringify(Array.from({ length: 200 }, (_, i) => allQuestions[i % allQuestions.length]!)));
    for (const n of SCALES) {
      const scaleDir = path.join(root, `scale-${n}`);
      const corpusDir = path.join(scaleDir, 'corpus');
      mkdirSync(corpusDir, { recursive: true });
      await writeSyntheticCorpus(path.join(corpusDir, `synthetic-${n}.jsonl`), source, n);
      const ingest = await runScaleChild(['ingest', scaleDir]);
      const indexBytes = dirSize(path.join(scaleDir, 'index'));
      const query = await runScaleChild(['query', scaleDir, queriesFile]);
      const aliases = measureAliasExtraction(source, n);
      const big = n >= 100_000;
      scaleRows.push([
        n.toLocaleString('en-US'),
        `${(ingest.ms! / 1000).toFixed(1)} s${big ? (ingest.ms! <= 120_000 ? ' (ok)' : ' (OVER 2 min)') : ''}`,
        `${ingest.maxRssMB!.toFixed(0)} MB${big ? (ingest.maxRssMB! <= 1536 ? ' (ok)' : ' (OVER 1.5 GB)') : ''}`,
        mb(indexBytes),
        `${(query.openMs! / 1000).toFixed(1)} s`,
        `${ms(query.p50!)} ms${big ? (query.p50! <= 50 ? ' (ok)' : ' (OVER 50 ms)') : ''}`,
        `${ms(query.p95!)} ms`,
        `${query.maxRssMB!.toFixed(0)} MB`,
        `${(aliases.ms / 1000).toFixed(1)} s`,
      ]);
      rmSync(scaleDir, { recursive: true, force: true });
    }
  }
  console.log('\n4. Synthetic scale (abstracts recombined from the corpus, seeded; offline embedder; each step in its own process)');
  if (scaleRows.length) {
    table(['papers', 'ingest (paperbot ingest path)', 'ingest peak RSS', 'index on disk', 'app start (createPaperbot)', 'search p50', 'search p95', 'query peak RSS', 'alias extraction'], scaleRows);
    console.log('  targets at 100,000: ingest <= 2 min, ingest peak RSS <= 1.5 GB, search p50 <= 50 ms (200 queries, warm, hybrid via createPaperbot().search)');
    console.log('  alias extraction: withDistinctAliases over the same synthetic papers, in this process (part of app start, which includes it)');
  } else console.log('  skipped (BENCH_SCALES is empty)');

  console.log(`\n5. Answering (dev questions: ${dev.length}; model = an in-process fake that answers instantly, so times are paperbot's own)`);
  table(
    ['figure', 'value', 'target', 'met'],
    [
      ['prompt tokens per ask (estimated) p50', String(pct(promptTokens, 0.5)), '', ''],
      ['prompt tokens per ask (estimated) max', String(maxTokens), `<= CONTEXT_TOKEN_BUDGET ${budget}`, ok(maxTokens <= budget)],
      ['asks refused (nothing relevant)', `${refused} / ${dev.length}`, '', ''],
      ['ask time excl. model p50', `${ms(pct(askMs, 0.5))} ms`, '<= 20 ms', ok(pct(askMs, 0.5) <= 20)],
      ['ask time excl. model p95', `${ms(pct(askMs, 0.95))} ms`, '', ''],
      ['offline extractive ask p50', `${ms(pct(extractiveMs, 0.5))} ms`, '', ''],
      ['offline extractive ask p95', `${ms(pct(extractiveMs, 0.95))} ms`, '', ''],
    ],
  );
  await withModel.close();

  // 6. Model-assisted retrieval: what it costs (its quality gain needs a real model; not measured here).
  const assistQuestions = dev.slice(0, ASSIST_QUESTIONS).map((q) => q.question);
  console.log(`\n6. Model-assisted retrieval (RETRIEVAL_ASSIST; ${assistQuestions.length} dev questions; fake model answering after ${ASSIST_DELAY_MS} ms, tokens estimated at 4 characters each)`);
  await printAssistCost(env, assistQuestions, ASSIST_DELAY_MS, table);
  console.log('  quality gain: not measured (needs a real model; the fake model\'s answers carry no knowledge)');
  await offline.close();

  // 7. The claim check (labelled set in data/eval/claims-*.jsonl), in its own process.
  console.log('\n7. Claim check: the "unsupported" flag on the labelled claims (scripts/bench-claims.ts)');
  const claims = spawnSync(process.execPath, [...process.execArgv, path.join(HERE, `bench-claims${EXT}`)], { encoding: 'utf8' });
  if (claims.status !== 0) throw new Error(`bench-claims failed (exit ${claims.status}): ${claims.stderr.slice(-2000)}`);
  console.log(claims.stdout.trimEnd().split('\n').slice(1).map((line) => (line ? `  ${line}` : line)).join('\n'));

  // 8. Feeds: 2,000 papers from the fake arXiv, and fetch end → searchable in a running bot (its own process, own figures).
  if (process.env.BENCH_FETCH !== '0') {
    console.log('\n8. Fetch (npm run bench:fetch; BENCH_FETCH=0 skips it)');
    spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'bench-fetch.ts')], { stdio: 'inherit', cwd: PROJECT_ROOT });
  }
  console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s; load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
