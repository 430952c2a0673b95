/**
 * `npm run bench:paper-stores`: the embedded paper store (vectra + in-process BM25) against the
 * PostgreSQL one (PGVectorStore on pgvector + BM25 over the tsvector), side by side, on the bundled
 * corpus: retrieval quality on every question set in data/eval, relevance flags on the off-topic
 * sets, query latency, and the time for a new Paperbot to open the PostgreSQL store and answer.
 * PostgreSQL is PGlite 0.5.14 with pgvector served by pglite-socket on loopback (no server needed);
 * the app connects through `pg` with a pool of 1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
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
import { printTable } from './print-table.js';
import { readdirSync, readFileSync } from 'node:fs';

const EVAL_DIR = path.join(PROJECT_ROOT, 'data', 'eval');
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

async function main(): Promise<void> {
  const dirs = await Promise.all([mkdtemp(path.join(os.tmpdir(), 'paperbot-embedded-')), mkdtemp(path.join(os.tmpdir(), 'paperbot-pg-'))]);
  const [db, pgliteMs] = await timed(() => PGlite.create({ extensions: { vector } }));
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 4 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  console.log('paperbot paper stores: embedded (vectra + in-process BM25) vs PostgreSQL (PGVectorStore/pgvector HNSW + BM25 over a GIN-indexed tsvector)');
  console.log(`PostgreSQL: PGlite + pgvector over pglite-socket at 127.0.0.1 (WASM start ${(pgliteMs / 1000).toFixed(1)} s), pool of 1; offline embedder; bundled corpus`);

  const embeddedConfig = loadConfig({ PAPERBOT_DATA_DIR: dirs[0], LOG_LEVEL: 'silent' });
  const postgresConfig = loadConfig({ PAPERBOT_DATA_DIR: dirs[1], LOG_LEVEL: 'silent', DATABASE_URL: url, DATABASE_POOL_MAX: '1' });
  const [embedded, embeddedFirstMs] = await timed(() => createPaperbot(embeddedConfig));
  const [filled, postgresFirstMs] = await timed(() => createPaperbot(postgresConfig));
  await filled.close();
  const [postgres, openMs] = await timed(() => createPaperbot(postgresConfig));
  const [, firstAnswerMs] = await timed(() => postgres.search('scaling video masked autoencoders'));
  console.log(`first use (build the index from the corpus): embedded ${(embeddedFirstMs / 1000).toFixed(1)} s, PostgreSQL ${(postgresFirstMs / 1000).toFixed(1)} s (${postgres.papers().length} papers)`);
  console.log(`a new process's open of the filled PostgreSQL store: ${openMs.toFixed(0)} ms, then its first search ${firstAnswerMs.toFixed(0)} ms (vectors stay in the database)`);

  let worst = 0;
  const rows: (string | number)[][] = [];
  const setNames = readdirSync(EVAL_DIR).filter((n) => n.endsWith('.jsonl') && !n.startsWith('off-topic') && !n.startsWith('claims')).sort();
  for (const [name, questions] of setNames.map((n) => [n, loadEvalQuestions(path.join(EVAL_DIR, n))] as const)) {
    const topics = questions.every((q) => q.kind === 'topic');
    const [a, b] = await Promise.all([evaluateRetrieval(embedded, questions, embedded.papers()), evaluateRetrieval(postgres, questions, postgres.papers())]);
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
    const lines = readFileSync(path.join(EVAL_DIR, name), 'utf8').split('\n').filter((line) => line.trim());
    const queries = lines.map((line) => (JSON.parse(line) as { question: string }).question);
    const flagged = async (bot: Paperbot) => (await Promise.all(queries.map((q) => bot.search(q)))).filter((r) => r.relevant).length;
    flagRows.push([name, `${await flagged(embedded)} / ${queries.length}`, `${await flagged(postgres)} / ${queries.length}`]);
  }
  console.log('\nOff-topic queries wrongly flagged relevant');
  printTable(['question set', 'embedded', 'PostgreSQL'], flagRows);

  const dev = loadEvalQuestions(path.join(EVAL_DIR, 'dev-questions.jsonl')).map((q) => q.question);
  console.log(`\nSearch latency, k=10, ${dev.length} dev questions one after another (this machine, shared):`);
  console.log(`  embedded    ${await latencies(embedded, dev)}`);
  console.log(`  PostgreSQL  ${await latencies(postgres, dev)}`);

  await Promise.all([embedded.close(), postgres.close()]);
  await server.stop();
  await db.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

await main();
