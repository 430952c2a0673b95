import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
const db = await PGlite.create({ dataDir: path.join(process.argv[2]!, 'pgdata'), extensions: { vector } });
await db.exec(`DROP TABLE IF EXISTS paperbot_paper_names, paperbot_paper_name_keys; DROP INDEX IF EXISTS paperbot_paper_catalogue_unnamed; ALTER TABLE paperbot_paper_catalogue DROP COLUMN IF EXISTS named; DELETE FROM paperbot_migrations WHERE component = 'papers' AND version = 6;`);
console.log((await db.query('SELECT component, version FROM paperbot_migrations ORDER BY 1, 2')).rows);
await db.close();
