import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PROJECT_ROOT } from '../src/config.js';
import { loadEvalQuestions } from '../src/eval/load-eval-questions.js';
import { runScaleChild } from './run-scale-child.js';
const [root, ...steps] = process.argv.slice(2);
const dataDir = path.join(root!, 'app');
const db = await PGlite.create({ dataDir: path.join(root!, 'pgdata'), extensions: { vector } });
const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 4 });
await server.start();
const env = { ...process.env, BENCH_DATABASE_URL: `postgres://postgres@${server.getServerConn()}/postgres`, BENCH_STATEMENT_TIMEOUT_MS: '120000' };
const EVAL_DIR = path.join(PROJECT_ROOT, 'data', 'eval');
const names = readdirSync(EVAL_DIR).filter((n) => n.endsWith('.jsonl') && !n.startsWith('off-topic') && !n.startsWith('claims')).sort();
const all = names.flatMap((n) => loadEvalQuestions(path.join(EVAL_DIR, n)).map((q) => q.question));
const queriesFile = path.join(root!, 'queries.json');
writeFileSync(queriesFile, JSON.stringify(Array.from({ length: 200 }, (_, i) => all[i % all.length]!)));
for (const step of steps) {
  const t = performance.now();
  const out = await runScaleChild(step === 'ingest' ? ['ingest', dataDir] : [step, dataDir, queriesFile], env);
  console.log(step, ((performance.now() - t) / 1000).toFixed(1), 's', JSON.stringify(out));
}
await server.stop();
await db.close();
