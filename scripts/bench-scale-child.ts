/**
 * One scale-benchmark step in its own process (so peak RSS is its own), started by bench.ts and
 * bench-paper-stores.ts:
 *   bench-scale-child.js ingest <dataDir>                 → {"ms", "added", "maxRssMB"}
 *   bench-scale-child.js query <dataDir> <queries.json> [warm-up.json]   → {"openMs", "firstMs", "firstRssMB", "p50", "p95", "againP50", "againP95", "count", "maxRssMB", "statements", "firstPassReads", "secondPassReads"}
 *   bench-scale-child.js quality <dataDir> <queries.json>   → {"bm25Top10", "searchTop10", "sets"} (PostgreSQL only)
 * Both go through the app's own code: ingestCorpusDir (what `paperbot ingest` runs, into the PostgreSQL
 * paper store when BENCH_DATABASE_URL is set, as with DATABASE_URL) and createPaperbot(...).search (what
 * the CLI and the bot call). firstMs: the first search after the open; firstRssMB: peak RSS until then.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import path from 'node:path';
import { createPaperbot } from '../src/app/create-paperbot.js';
import { openPaperTarget } from '../src/app/paper-store.js';
import { loadConfig } from '../src/config.js';
import { createOfflineEmbedder } from '../src/embedding/offline-embedder.js';
import { ingestCorpusDir } from '../src/ingest/ingest-corpus-dir.js';
import { createPaperLoader } from '../src/corpus/paper-loader.js';
import { queryNameKeys } from '../src/retrieval/match-aliases.js';
import type { Embedder } from '../src/embedding/embedder.js';
import { DEFAULT_LEXICAL_PARAMS } from '../src/retrieval/lexical-index.js';
import { createHybridSearcher } from '../src/retrieval/search-papers.js';
import { createPostgresCandidateSource } from '../src/store/postgres/postgres-candidate-source.js';
import { createPaperPool, createPostgresPaperStore } from '../src/store/postgres/postgres-paper-store.js';
import { readPaperCorpus } from '../src/store/postgres/read-paper-corpus.js';
import { readTermStatistics, type TermStatistics } from '../src/store/postgres/term-statistics.js';
import { evaluateRetrieval } from '../src/eval/evaluate-retrieval.js';
import { loadEvalQuestions } from '../src/eval/load-eval-questions.js';
import { PROJECT_ROOT } from '../src/config.js';

const [mode, dataDir, queriesFile, warmUpFile] = process.argv.slice(2);
const maxRssMB = () => process.resourceUsage().maxRSS / 1024;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
/** PGlite over pglite-socket is one session: one connection at a time. */
const database = process.env.BENCH_DATABASE_URL
  ? { DATABASE_URL: process.env.BENCH_DATABASE_URL, DATABASE_POOL_MAX: '1', DATABASE_STATEMENT_TIMEOUT_MS: process.env.BENCH_STATEMENT_TIMEOUT_MS ?? '15000', PAPER_STORE: 'postgres' }
  : {};

/** The question sets whose papers the scale corpus contains (the bundled ones, among the synthetic). */
const QUALITY_SETS = ['dev-questions.jsonl', 'paraphrase-heldout-questions.jsonl'];

/**
 * What the bounded BM25 (each term's best postings, DEFAULT_BM25_REACH) changes against BM25 over
 * every posting: the mean share of the full BM25's top 10 it also returns (BM25 alone and the whole
 * hybrid search), and R@5 / MRR of the question sets for both. Its own child, after the timed one.
 */
async function measureQuality(embedder: Embedder, queries: readonly string[]) {
  const opened = await createPostgresPaperStore({ database: config.database!, embedder }).open();
  const pool = createPaperPool(config.database!);
  try {
    const statistics = opened.lexical as TermStatistics;
    const totalLength = (await readPaperCorpus(pool))!.totalLength;
    const exact = createPostgresCandidateSource({ pool, statistics, termIds: new Map(), totalLength, params: DEFAULT_LEXICAL_PARAMS, reach: { postingsPerTerm: 2 ** 31 - 1, scoredPapers: 2 ** 31 - 1 } });
    const papers = await opened.catalogue();
    const loadPapers = createPaperLoader(opened.wholePapers);
    const searcher = (candidates: typeof exact) => createHybridSearcher({ loadPapers, findNamed: opened.findNamed, lexical: statistics, candidates, embedder });
    const [bounded, full] = [searcher(opened.candidates), searcher({ lexical: exact.lexical, dense: opened.candidates.dense })];
    const overlap = (want: string[], got: string[]) => (want.length ? want.filter((id) => got.includes(id)).length / want.length : 1);
    // The same BM25 reading the whole pool against reading only the papers that can be in the top k: the term lists each reads.
    let listsRead = 0;
    const counting = {
      query: async (text: string, values: unknown[]) => {
        const result = await pool.query(text, values);
        if (text.includes('lexical_length')) listsRead += result.rows.length;
        return result;
      },
    } as unknown as typeof pool;
    const corpusRow = (await readPaperCorpus(pool))!;
    const { termIds } = await readTermStatistics(pool, corpusRow.paperCount);
    const [narrowing, whole] = [corpusRow.impactAvgdl, undefined].map((impactAvgdl) =>
      createPostgresCandidateSource({ pool: counting, statistics, termIds, totalLength, impactAvgdl, params: DEFAULT_LEXICAL_PARAMS }),
    );
    const read = { narrowing: [] as number[], whole: [] as number[] };
    let sameTopK = 0;
    let bm25 = 0;
    let search = 0;
    for (const query of queries) {
      const terms = statistics.queryTerms(query);
      const results = [];
      for (const [name, source] of [['narrowing', narrowing!], ['whole', whole!]] as const) {
        listsRead = 0;
        results.push(JSON.stringify(await source.lexical(terms, 50)));
        read[name].push(listsRead);
      }
      if (results[0] === results[1]) sameTopK++;
      const [want, got] = [await exact.lexical(terms, 10), await opened.candidates.lexical(terms, 10)];
      bm25 += overlap(want.map((m) => m.id), got.map((m) => m.id));
      const [a, b] = [await full.search(query, { k: 10 }), await bounded.search(query, { k: 10 })];
      search += overlap(a.hits.map((h) => h.paper.id), b.hits.map((h) => h.paper.id));
    }
    const sets = [];
    for (const name of QUALITY_SETS) {
      const questions = loadEvalQuestions(path.join(PROJECT_ROOT, 'data', 'eval', name));
      const [f, b] = [await evaluateRetrieval(full, questions, papers), await evaluateRetrieval(bounded, questions, papers)];
      sets.push({ name, count: questions.length, full: { r5: f.r5, mrr: f.mrr }, bounded: { r5: b.r5, mrr: b.mrr } });
    }
    const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);
    const narrowed = { same: sameTopK, listsMedian: median(read.narrowing), wholeMedian: median(read.whole), listsMean: read.narrowing.reduce((a, b) => a + b, 0) / queries.length, wholeMean: read.whole.reduce((a, b) => a + b, 0) / queries.length };
    return { bm25Top10: bm25 / queries.length, searchTop10: search / queries.length, sets, narrowed };
  } finally {
    await pool.end();
    await opened.close();
  }
}

/**
 * The statements of one search against the PostgreSQL store, each timed over `queries` (medians, ms):
 * the bounded BM25 and HNSW top-k (50 each, as the searcher asks), the papers the query's words name,
 * the candidates' terms (the packed term lists neither BM25 nor the dense look-up just read), the whole papers of ten of them
 * (a search reads its hits'). Its own store and pool, after the timed searches.
 */
async function statementMedians(embedder: Embedder, queries: readonly string[]) {
  const opened = await createPostgresPaperStore({ database: config.database!, embedder }).open();
  const times = { bm25: [] as number[], hnsw: [] as number[], names: [] as number[], terms: [] as number[], hits: [] as number[] };
  const timed = async <T>(into: number[], work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const out = await work();
    into.push(performance.now() - started);
    return out;
  };
  try {
    for (const query of queries) {
      const lexical = await timed(times.bm25, () => opened.candidates.lexical(opened.lexical.queryTerms(query), 50));
      const [vector] = await embedder.embed([query]);
      const dense = await timed(times.hnsw, () => opened.candidates.dense(vector!, 50));
      const named = await timed(times.names, () => opened.findNamed(queryNameKeys(query)));
      const ids = [...new Set([...lexical, ...dense, ...named].map((match) => match.id))];
      await timed(times.terms, () => opened.candidates.paperTerms!(ids));
      await timed(times.hits, () => opened.wholePapers(ids.slice(0, 10)));
    }
  } finally {
    await opened.close();
  }
  const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);
  return { bm25: median(times.bm25), hnsw: median(times.hnsw), names: median(times.names), terms: median(times.terms), hits: median(times.hits) };
}

/** Blocks read (not found in shared buffers) so far, by table, its TOAST table and index, from PostgreSQL's statistics (flushed first). */
async function blocksRead(pool: pg.Pool): Promise<Map<string, number>> {
  await pool.query('SELECT pg_stat_force_next_flush()');
  await pool.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await pool.query<{ name: string; read: number }>(`
    SELECT relname AS name, coalesce(heap_blks_read, 0)::float8 AS read FROM pg_statio_user_tables
    UNION ALL SELECT relname || ' (TOAST)', coalesce(toast_blks_read, 0)::float8 FROM pg_statio_user_tables
    UNION ALL SELECT indexrelname, coalesce(idx_blks_read, 0)::float8 FROM pg_statio_user_indexes`);
  return new Map(rows.map((row) => [row.name, row.read]));
}

/** Blocks read per search between two blocksRead snapshots, by relation (those that read any), most first. */
function readsPerSearch(before: Map<string, number>, after: Map<string, number>, searches: number): { name: string; perSearch: number }[] {
  return [...after]
    .map(([name, read]) => ({ name, perSearch: (read - (before.get(name) ?? 0)) / searches }))
    .filter((relation) => relation.perSearch > 0)
    .sort((a, b) => b.perSearch - a.perSearch);
}

if (!dataDir) throw new Error('usage: bench-scale-child (ingest|query) <dataDir> [queries.json]');
const config = loadConfig({ PAPERBOT_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...database });
if (mode === 'ingest') {
  const started = performance.now();
  const embedder = await createOfflineEmbedder();
  const target = await openPaperTarget(config, embedder);
  const { summary } = await ingestCorpusDir({
    corpusDir: path.join(dataDir, 'corpus'),
    indexDir: path.join(dataDir, 'index'),
    embedder,
    batchSize: 256,
    writePapers: target && ((papers) => target.write(papers, { rebuild: false })),
  }).finally(() => target?.close());
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, added: summary.added, maxRssMB: maxRssMB() })}\n`);
} else if (mode === 'query') {
  const queries = JSON.parse(readFileSync(queriesFile!, 'utf8')) as string[];
  // The first answer and the warm-up: other questions when given (so that each timed one is asked for the first time), else the first ten timed ones.
  const warmUp = warmUpFile ? (JSON.parse(readFileSync(warmUpFile, 'utf8')) as string[]) : queries.slice(0, 10);
  const started = performance.now();
  const bot = await createPaperbot(config);
  const openMs = performance.now() - started;
  await bot.search(warmUp[0]!, { k: 10 });
  const firstMs = performance.now() - started - openMs;
  const firstRssMB = maxRssMB();
  for (const query of warmUp.slice(1)) await bot.search(query, { k: 10 });
  /** Each question's search time, one after another, sorted. */
  const timeSearches = async () => {
    const times: number[] = [];
    for (const query of queries) {
      const t = performance.now();
      await bot.search(query, { k: 10 });
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b);
  };
  // The pages each pass had to read from disk, by relation (its own pool, used only between the passes).
  const statsPool = process.env.BENCH_DATABASE_URL ? createPaperPool(config.database!) : undefined;
  const readBefore = statsPool && (await blocksRead(statsPool));
  const times = await timeSearches();
  const readAfter = statsPool && (await blocksRead(statsPool));
  // The same questions again: the database has now read their pages once (a server that has been serving).
  const again = await timeSearches();
  const readAgain = statsPool && (await blocksRead(statsPool));
  await statsPool?.end();
  await bot.close();
  const measured = {
    openMs,
    firstMs,
    firstRssMB,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    againP50: percentile(again, 0.5),
    againP95: percentile(again, 0.95),
    count: times.length,
    papers: bot.paperCount(),
    maxRssMB: maxRssMB(),
    ...(readBefore && readAfter && readAgain
      ? { firstPassReads: readsPerSearch(readBefore, readAfter, times.length), secondPassReads: readsPerSearch(readAfter, readAgain, again.length) }
      : {}),
  };
  const statements = process.env.BENCH_DATABASE_URL ? { statements: await statementMedians(await createOfflineEmbedder(), queries) } : {};
  process.stdout.write(`${JSON.stringify({ ...measured, ...statements })}\n`);
} else if (mode === 'quality') {
  const queries = JSON.parse(readFileSync(queriesFile!, 'utf8')) as string[];
  process.stdout.write(`${JSON.stringify(await measureQuality(await createOfflineEmbedder(), queries.slice(0, 100)))}\n`);
} else {
  throw new Error(`unknown mode ${mode}`);
}
