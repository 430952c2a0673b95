import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { aliasKey } from '../src/corpus/extract-aliases.js';
import { words } from '../src/text/tokenize.js';
const root = process.argv[2]!;
const db = await PGlite.create({ dataDir: path.join(root, 'pgdata'), extensions: { vector } });
const q = 'How does the Learning to Prompt approach L2P avoid catastrophic forgetting without a rehearsal buffer in continual learning?';
const w = words(q);
const keys: string[] = [];
for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= w.length; i++) keys.push(aliasKey(w.slice(i, i + n).join(' ')));
const top = await db.query(`SELECT key, count(*) AS n FROM paperbot_paper_names WHERE key = ANY($1::text[]) GROUP BY key ORDER BY n DESC LIMIT 10`, [keys]);
console.log(top.rows);
const stats = await db.query(`SELECT count(*) AS rows, count(DISTINCT key) AS keys FROM paperbot_paper_names`);
console.log(stats.rows);
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await db.query(`SELECT n.key, p.id, n.name, n.coined, n.paper_key FROM paperbot_paper_names n JOIN paperbot_papers p ON p.key = n.paper_key WHERE n.key = ANY($1::text[])`, [keys]);
  console.log('findNamed', r.rows.length, (performance.now() - t).toFixed(1), 'ms');
}
const ids = (await db.query<{ id: string }>(`SELECT id FROM paperbot_papers ORDER BY random() LIMIT 100`)).rows.map((r) => r.id);
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await db.query(
    `SELECT p.paper, p.name_candidates -> 'acronyms' AS acronyms,
       coalesce((SELECT json_agg(json_build_array(n.name, n.coined) ORDER BY n.ordinal) FROM paperbot_paper_names n
                 WHERE n.paper_key = p.key AND NOT EXISTS (SELECT 1 FROM paperbot_paper_names o WHERE o.key = n.key AND o.paper_key <> n.paper_key)), '[]') AS names
     FROM paperbot_papers p WHERE p.id = ANY($1::text[])`, [ids]);
  console.log('named papers', r.rows.length, (performance.now() - t).toFixed(1), 'ms');
  const t2 = performance.now();
  await db.query(`SELECT paper FROM paperbot_papers WHERE id = ANY($1::text[])`, [ids]);
  console.log('plain papers', (performance.now() - t2).toFixed(1), 'ms');
}
await db.close();
