/**
 * `npm run bench:paper-stores`: the embedded paper store (vectra + in-process BM25) against the
 * PostgreSQL one (PGVectorStore on pgvector + BM25 over the postings table), side by side, on the bundled
 * corpus: retrieval quality on every question set in data/eval, relevance flags on the off-topic
 * sets, query latency, and the time for a new Paperbot to open the PostgreSQL store and answer.
 * PostgreSQL is PGlite 0.5.14 with pgvector served by pglite-socket on loopback (no server needed);
 * the app connects through `pg` with a pool of 1.
 *
 * `npm run bench:paper-stores -- --papers 100000`: the PostgreSQL store alone at that size (synthetic
 * abstracts, as `npm run bench` makes them, plus the bundled papers; PGlite keeps its files in a
 * temporary folder): the ingest (`paperbot ingest`'s path, in a child process), then PGlite started
 * again (it has read nothing yet) and a FRESH child process that opens the store (createPaperbot),
 * answers one query (time and peak RSS so far), nine more, then every distinct eval question once
 * (p50/p95, k=10, and the pages PostgreSQL read from disk, by relation), then the same again (PGlite has
 * read their pages once: a server's steady state); then, in another child, the bounded BM25 against
 * BM25 over every posting. PGlite runs with shared_buffers SCALE_SHARED_BUFFERS (printed).
 *
 * `--keep <folder>` (with --papers) keeps the database and corpus in that folder instead of a temporary
 * one; a later run with the same --papers and --keep skips the ingest (it prints the ingest figures the
 * building run recorded, and says so) and measures the opening and the searches again.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { createPaperbot } from '../src/app/create-paperbot.js';
import type { Paperbot } from '../src/app/paperbot.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { evaluateRetrieval } from '../src/eval/evaluate-retrieval.js';
import { loadEvalQuestions } from '../src/eval/load-eval-questions.js';
import { parseCorpusFile } from '../src/corpus/parse-corpus-file.js';
import { writeSyntheticCorpus } from './bench-synthetic-corpus.js';
import { printTable } from './print-table.js';
import { DEFAULT_BM25_REACH } from '../src/store/postgres/postgres-candidate-source.js';
import { createPaperPool } from '../src/store/postgres/postgres-paper-store.js';
import { PAPER_POSTINGS_TABLE, PAPER_TERM_LISTS_TABLE } from '../src/store/postgres/paper-migrations.js';
import { runScaleChild } from './run-scale-child.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const EVAL_DIR = path.join(PROJECT_ROOT, 'data', 'eval');
const BUNDLED = path.join(PROJECT_ROOT, 'data', 'corpus', 'hf-trending-papers.txt');
const f3 = (x: number) => x.toFixed(3);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const out = await work();
  return [out, performance.now() - started];
}

async function latencies(bot: Paperbot, queries: readonly string[]): Promise<string> {
  const times: number[] = [];
  for (const q of queries) times.push((await timed(() => bot.search(q, { k: 10 })))[1]);
  times.sort((a, b) => a - b);
  return `p50 ${pct(times, 0.5).toFixed(1)} ms  p95 ${pct(times, 0.95).toFixed(1)} ms`;
}

/** What any statement costs here, whatever it reads: a round trip of the extended protocol through pglite-socket into PGlite. */
async function trivialStatement(config: ReturnType<typeof loadConfig>): Promise<string> {
  const pool = createPaperPool(config.database!);
  try {
    const times: number[] = [];
    for (let i = 0; i < 200; i++) times.push((await timed(() => pool.query('SELECT $1::int AS x', [i])))[1]);
    times.sort((a, b) => a - b);
    return `p50 ${pct(times, 0.5).toFixed(2)} ms`;
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const dirs = await Promise.all([mkdtemp(path.join(os.tmpdir(), 'paperbot-embedded-')), mkdtemp(path.join(os.tmpdir(), 'paperbot-pg-'))]);
  const [db, pgliteMs] = await timed(() => PGlite.create({ extensions: { vector } }));
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 4 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  console.log("paperbot paper stores: embedded (vectra + in-process BM25) vs PostgreSQL (pgvector HNSW over PGVectorStore's table + BM25 over packed postings)");
  console.log(`PostgreSQL: PGlite + pgvector over pglite-socket at 127.0.0.1 (WASM start ${(pgliteMs / 1000).toFixed(1)} s), pool of 1; offline embedder; bundled corpus`);

  const embeddedConfig = loadConfig({ PAPERBOT_DATA_DIR: dirs[0], LOG_LEVEL: 'silent' });
  const postgresConfig = loadConfig({ PAPERBOT_DATA_DIR: dirs[1], LOG_LEVEL: 'silent', DATABASE_URL: url, DATABASE_POOL_MAX: '1' });
  const [embedded, embeddedFirstMs] = await timed(() => createPaperbot(embeddedConfig));
  const [filled, postgresFirstMs] = await timed(() => createPaperbot(postgresConfig));
  await filled.close();
  const [postgres, openMs] = await timed(() => createPaperbot(postgresConfig));
  const [, firstAnswerMs] = await timed(() => postgres.search('scaling video masked autoencoders'));
  console.log(`first use (build the index from the corpus): embedded ${(embeddedFirstMs / 1000).toFixed(1)} s, PostgreSQL ${(postgresFirstMs / 1000).toFixed(1)} s (${postgres.paperCount()} papers)`);
  console.log(`a new process's open of the filled PostgreSQL store: ${openMs.toFixed(0)} ms, then its first search ${firstAnswerMs.toFixed(0)} ms (vectors stay in the database)`);
  const packed = await db.query<{ bytes: number; terms: number }>(
    `SELECT avg(length(l.terms))::float8 AS bytes, avg((SELECT count(*) FROM ${PAPER_POSTINGS_TABLE} s WHERE s.paper_key = l.paper_key))::float8 AS terms FROM ${PAPER_TERM_LISTS_TABLE} l`,
  );
  const { bytes, terms } = packed.rows[0]!;
  console.log(`packed term lists (what BM25 reads per pooled paper): ${bytes.toFixed(0)} bytes a paper on average, ${terms.toFixed(1)} terms: ${(bytes / terms).toFixed(2)} bytes a term (fixed-width entries: 8)`);

  let worst = 0;
  const rows: (string | number)[][] = [];
  const setNames = readdirSync(EVAL_DIR).filter((n) => n.endsWith('.jsonl') && !n.startsWith('off-topic') && !n.startsWith('claims')).sort();
  for (const [name, questions] of setNames.map((n) => [n, loadEvalQuestions(path.join(EVAL_DIR, n))] as const)) {
    const topics = questions.every((q) => q.kind === 'topic');
    const [a, b] = await Promise.all([evaluateRetrieval(embedded, questions, await embedded.papers()), evaluateRetrieval(postgres, questions, await postgres.papers())]);
    const metrics: [string, number, number][] = topics
      ? [['recall@10', a.recall10, b.recall10], ['all-in-top-10', a.allInTop10, b.allInTop10]]
      : [['R@1', a.r1, b.r1], ['R@5', a.r5, b.r5], ['R@10', a.r10, b.r10], ['MRR', a.mrr, b.mrr], ['all-in-top-10', a.allInTop10, b.allInTop10]];
    for (const [metric, x, y] of metrics) {
      worst = Math.max(worst, Math.abs(x - y));
      rows.push([`${name} (${questions.length})`, metric, f3(x), f3(y), (y - x >= 0 ? '+' : '') + f3(y - x)]);
    }
  }
  console.log('\nRetrieval quality on data/eval');
  printTable(['question set', 'metric', 'embedded', 'PostgreSQL', 'difference'], rows);
  console.log(`largest difference on any printed metric: ${f3(worst)} (target ≤ 0.020: ${worst <= 0.02 ? 'met' : 'NOT met'})`);

  const flagRows: (string | number)[][] = [];
  for (const name of readdirSync(EVAL_DIR).filter((n) => n.startsWith('off-topic') && n.endsWith('.jsonl')).sort()) {
    const queries = offTopicQuestions(name);
    const flagged = async (bot: Paperbot) => (await Promise.all(queries.map((q) => bot.search(q)))).filter((r) => r.relevant).length;
    flagRows.push([name, `${await flagged(embedded)} / ${queries.length}`, `${await flagged(postgres)} / ${queries.length}`]);
  }
  console.log('\nOff-topic queries wrongly flagged relevant');
  printTable(['question set', 'embedded', 'PostgreSQL'], flagRows);

  const dev = loadEvalQuestions(path.join(EVAL_DIR, 'dev-questions.jsonl')).map((q) => q.question);
  console.log(`\nSearch latency, k=10, ${dev.length} dev questions one after another (this machine, shared):`);
  console.log(`  embedded    ${await latencies(embedded, dev)}`);
  console.log(`  PostgreSQL  ${await latencies(postgres, dev)}`);
  console.log(`  one trivial statement with a parameter (SELECT $1::int) on the same pool, 200 times: ${await trivialStatement(postgresConfig)}`);

  await Promise.all([embedded.close(), postgres.close()]);
  await server.stop();
  await db.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/** The questions of an off-topic set of data/eval (no expected papers). */
function offTopicQuestions(name: string): string[] {
  const lines = readFileSync(path.join(EVAL_DIR, name), 'utf8').split('\n').filter((line) => line.trim());
  return lines.map((line) => (JSON.parse(line) as { question: string }).question);
}

/** The questions of every set in data/eval (not the off-topic or claim sets), each once. */
function distinctEvalQuestions(): string[] {
  const names = readdirSync(EVAL_DIR).filter((n) => n.endsWith('.jsonl') && !n.startsWith('off-topic') && !n.startsWith('claims')).sort();
  return [...new Set(names.flatMap((n) => loadEvalQuestions(path.join(EVAL_DIR, n)).map((q) => q.question)))];
}

interface ScaleQuality {
  narrowed: { same: number; listsMedian: number; wholeMedian: number; listsMean: number; wholeMean: number };
  bm25Top10: number;
  searchTop10: number;
  sets: { name: string; count: number; full: { r5: number; mrr: number }; bounded: { r5: number; mrr: number } }[];
}

interface IngestRecord {
  papers: number;
  ms: number;
  added: number;
  maxRssMB: number;
  databaseMB: number;
  at: string;
}

/** PGlite's shared_buffers at scale (its default, 128 MB, holds little of a 100,000-paper database; measured with this script's query child at 100,000 papers: second-pass p50 21.3 ms with 128 MB, 19.0 ms with 1 GB). */
const SCALE_SHARED_BUFFERS = '1GB';

/** The PostgreSQL store at `papers` synthetic abstracts: ingest, then a fresh process's open, first answer, RSS and latency. */
async function benchAtSize(papers: number, keep: string | undefined): Promise<void> {
  const root = keep ?? (await mkdtemp(path.join(os.tmpdir(), 'paperbot-pg-scale-')));
  const recordFile = path.join(root, 'ingest.json');
  const earlier = existsSync(recordFile) ? (JSON.parse(readFileSync(recordFile, 'utf8')) as IngestRecord) : undefined;
  if (keep && !earlier && existsSync(keep) && readdirSync(keep).length > 0) {
    throw new Error(`--keep ${keep}: that folder holds something other than a database this benchmark built; give a new or empty folder`);
  }
  if (earlier && earlier.papers !== papers) throw new Error(`--keep ${keep}: its database was built with --papers ${earlier.papers}, not ${papers}`);
  const dataDir = path.join(root, 'app');
  await mkdir(root, { recursive: true });
  // Sized as an operator sizes a server's: enough to keep the hot part of a 2 GB database (the HNSW graph, the packed rows) in memory.
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${SCALE_SHARED_BUFFERS}`];
  const startDatabase = async () => {
    const [db, ms] = await timed(() => PGlite.create({ dataDir: path.join(root, 'pgdata'), extensions: { vector }, startParams }));
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 4 });
    await server.start();
    // Reading 100k papers from PGlite in one statement can take longer than a request's default 15 s.
    const env = { ...process.env, BENCH_DATABASE_URL: `postgres://postgres@${server.getServerConn()}/postgres`, BENCH_STATEMENT_TIMEOUT_MS: '120000' };
    return { db, server, env, ms };
  };
  let database = await startDatabase();
  const pgliteMs = database.ms;
  try {
    console.log(`paperbot PostgreSQL paper store at ${papers.toLocaleString('en-US')} synthetic abstracts (recombined from the bundled corpus, seeded) plus the bundled corpus; offline embedder`);
    console.log(
      `PostgreSQL: PGlite + pgvector (files in ${keep ? keep : 'a temporary folder'}) over pglite-socket at 127.0.0.1 (WASM start ${(pgliteMs / 1000).toFixed(1)} s, shared_buffers ${SCALE_SHARED_BUFFERS}), pool of 1, statement timeout 120 s; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
    );
    if (earlier) {
      console.log(
        `ingest: skipped, the database kept by --keep was built at ${earlier.at}; that run's ingest: ${(earlier.ms / 1000).toFixed(1)} s for ${earlier.added} papers, peak RSS ${earlier.maxRssMB.toFixed(0)} MB; database ${earlier.databaseMB.toFixed(0)} MB`,
      );
    } else {
      await mkdir(path.join(dataDir, 'corpus'), { recursive: true });
      await writeSyntheticCorpus(path.join(dataDir, 'corpus', `synthetic-${papers}.jsonl`), (await parseCorpusFile(BUNDLED)).papers, papers);
      // The bundled papers too, so that the eval questions have their answers among the synthetic ones.
      await copyFile(BUNDLED, path.join(dataDir, 'corpus', path.basename(BUNDLED)));
      const ingest = await runScaleChild(['ingest', dataDir], database.env);
      const size = await database.db.query<{ bytes: number }>('SELECT pg_database_size(current_database())::float8 AS bytes');
      const record: IngestRecord = { papers, ms: ingest.ms!, added: ingest.added!, maxRssMB: ingest.maxRssMB!, databaseMB: size.rows[0]!.bytes / 1024 / 1024, at: new Date().toISOString() };
      if (keep) await writeFile(recordFile, JSON.stringify(record));
      console.log(`ingest (paperbot ingest's path, child process): ${(record.ms / 1000).toFixed(1)} s for ${record.added} papers, peak RSS ${record.maxRssMB.toFixed(0)} MB; database ${record.databaseMB.toFixed(0)} MB`);
      // Started again, so that what follows meets a database that has read nothing yet, as after --keep (the ingest left its pages in memory).
      await database.server.stop();
      await database.db.close();
      database = await startDatabase();
      console.log(`PostgreSQL started again after the ingest (${(database.ms / 1000).toFixed(1)} s), so that the searches below start from a database that has read nothing yet`);
    }
    // Every distinct question of data/eval once (the first 100 are also the quality questions below); the first answer and the warm-up: ten off-topic ones.
    const queriesFile = path.join(root, 'queries.json');
    const warmUpFile = path.join(root, 'warm-up.json');
    await writeFile(queriesFile, JSON.stringify(distinctEvalQuestions()));
    await writeFile(warmUpFile, JSON.stringify(offTopicQuestions('off-topic-heldout-queries.jsonl').slice(0, 10)));
    const query = await runScaleChild(['query', dataDir, queriesFile, warmUpFile], database.env);
    const openAnswerMs = query.openMs! + query.firstMs!;
    console.log(
      `a fresh process: open (createPaperbot) ${query.openMs!.toFixed(0)} ms + first answer ${query.firstMs!.toFixed(0)} ms = ${openAnswerMs.toFixed(0)} ms (target ≤ 1000 ms: ${openAnswerMs <= 1000 ? 'met' : 'NOT met'}), ` +
        `peak RSS by then ${query.firstRssMB!.toFixed(0)} MB (target ≤ 300 MB: ${query.firstRssMB! <= 300 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `search, k=10, ${query.count} eval questions one after another in that process (after the first answer and 9 others), each asked for the first time: p50 ${query.p50!.toFixed(1)} ms (target ≤ 20 ms: ${query.p50! <= 20 ? 'met' : 'NOT met'})  p95 ${query.p95!.toFixed(1)} ms; its peak RSS ${query.maxRssMB!.toFixed(0)} MB`,
    );
    console.log(
      `the same ${query.count} questions again (the database has read their pages once, as a server that has been serving): p50 ${query.againP50!.toFixed(1)} ms (target ≤ 20 ms: ${query.againP50! <= 20 ? 'met' : 'NOT met'})  p95 ${query.againP95!.toFixed(1)} ms`,
    );
    type Reads = { name: string; perSearch: number }[];
    const [first, second] = [query.firstPassReads, query.secondPassReads] as unknown as [Reads, Reads];
    const total = (reads: Reads) => reads.reduce((sum, relation) => sum + relation.perSearch, 0).toFixed(1);
    console.log(
      `pages (8 KB) PostgreSQL read from disk, not found in its buffers, per search (its statistics): on the first pass ${total(first)} — ` +
        first.filter((relation) => relation.perSearch >= 0.05).map((relation) => `${relation.name.replace(/^paperbot_/, '')} ${relation.perSearch.toFixed(1)}`).join(', ') +
        ` — on the second ${total(second)}`,
    );
    const s = query.statements as unknown as Record<'bm25' | 'hnsw' | 'names' | 'terms' | 'hits', number>;
    console.log(
      `a search's statements, medians over the same questions: bounded BM25 (two or three statements and the pooling and scoring in the process) ${s.bm25.toFixed(1)} ms, HNSW with its papers' term lists ${s.hnsw.toFixed(1)} ms, ` +
        `papers the words name ${s.names.toFixed(1)} ms, the candidates' terms neither read ${s.terms.toFixed(1)} ms, whole papers of the ten hits ${s.hits.toFixed(1)} ms (the rest: embedding, soft matching and fusion in the process)`,
    );
    const quality = (await runScaleChild(['quality', dataDir, queriesFile], database.env)) as unknown as ScaleQuality;
    const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(
      `BM25 reads each term's best ${DEFAULT_BM25_REACH.postingsPerTerm} postings (one packed row per term) and scores ${DEFAULT_BM25_REACH.scoredPapers} papers exactly (one packed row each); against BM25 over every posting (100 questions): ` +
        `BM25 top 10 shared ${pct1(quality.bm25Top10)}, hybrid search top 10 shared ${pct1(quality.searchTop10)}`,
    );
    const n = quality.narrowed;
    console.log(
      `BM25 reads the term lists of the pooled papers that can be in its top 50 (best upper bound first, then those that can still beat the 50th exact score), not all ${DEFAULT_BM25_REACH.scoredPapers}: ` +
        `${n.listsMedian} lists per search (median; mean ${n.listsMean.toFixed(1)}) against ${n.wholeMedian} (mean ${n.wholeMean.toFixed(1)}); the same top 50, scores and order on ${n.same} of 100 questions`,
    );
    console.log(`The bundled papers among the ${papers.toLocaleString('en-US')} (their questions), hybrid search with BM25 over every posting → with the bounded BM25:`);
    for (const set of quality.sets) {
      console.log(`  ${set.name} (${set.count}): R@5 ${set.full.r5.toFixed(3)} → ${set.bounded.r5.toFixed(3)}, MRR ${set.full.mrr.toFixed(3)} → ${set.bounded.mrr.toFixed(3)}`);
    }
  } finally {
    await database.server.stop();
    await database.db.close();
    if (!keep) await rm(root, { recursive: true, force: true });
  }
}

const papersFlag = process.argv.indexOf('--papers');
if (papersFlag >= 0) {
  const papers = Number(process.argv[papersFlag + 1]);
  const keepFlag = process.argv.indexOf('--keep');
  const keep = keepFlag >= 0 ? process.argv[keepFlag + 1] : undefined;
  if (!Number.isInteger(papers) || papers < 1 || (keepFlag >= 0 && !keep)) throw new Error('usage: npm run bench:paper-stores -- --papers <count> [--keep <folder>]');
  await benchAtSize(papers, keep && path.resolve(keep));
} else await main();
