import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { createOfflineEmbedder } from '../src/embedding/offline-embedder.js';
import { createPostgresPaperStore } from '../src/store/postgres/postgres-paper-store.js';
import { aliasKey } from '../src/corpus/extract-aliases.js';
import { words } from '../src/text/tokenize.js';
const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:55432/postgres', DATABASE_POOL_MAX: '1', PAPER_STORE: 'postgres', LOG_LEVEL: 'silent' });
const embedder = await createOfflineEmbedder();
const opened = await createPostgresPaperStore({ database: config.database!, embedder }).open();
const queries = (JSON.parse(readFileSync('/work/scale/p100k/queries.json', 'utf8')) as string[]).slice(0, 60);
const t: Record<string, number[]> = { bm25: [], dense: [], names: [], whole: [] };
const time = async <T>(k: string, f: () => Promise<T>) => { const s = performance.now(); const r = await f(); t[k]!.push(performance.now() - s); return r; };
for (const q of queries) {
  const lex = await time('bm25', () => opened.candidates.lexical(opened.lexical.queryTerms(q), 50));
  const [v] = await embedder.embed([q]);
  const dense = await time('dense', () => opened.candidates.dense(v!, 50));
  const w = words(q); const keys: string[] = [];
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= w.length; i++) keys.push(aliasKey(w.slice(i, i + n).join(' ')));
  await time('names', () => opened.findNamed(keys));
  const ids = [...new Set([...lex.map((m) => m.id), ...dense.map((m) => m.id)])];
  await time('whole', () => opened.wholePapers(ids));
}
const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
console.log(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, med(v.slice(10))])));
await opened.close();
