import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexLockedError } from '../../../src/store/index-errors.js';
import { ingestPostgresPapers } from '../../../src/store/postgres/ingest-postgres-papers.js';
import { lockPaperIngest } from '../../../src/store/postgres/paper-ingest-lock.js';
import { createFakeEmbedder } from '../../support/fake-embedder.js';
import { createTestSchema, type TestSchema } from '../../support/postgres.js';

// Two sessions on a real server (PGlite's single session cannot show exclusion): the advisory lock
// is taken before anything else, so this needs no pgvector.
let schema: TestSchema;
let pool: pg.Pool;
beforeAll(async () => {
  schema = await createTestSchema();
  pool = new pg.Pool({ connectionString: schema.url, max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await schema?.drop();
});

describe('concurrent ingests into PostgreSQL', () => {
  it('a second ingest gets "Another ingest is running (pid …)" at once; after the first, the lock is free again', async () => {
    const holder = await pool.connect();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const taken = new Promise<void>((resolve) => (started = resolve));
    const first = lockPaperIngest(holder, 'the first', async () => {
      started();
      await held;
    });
    await taken;
    const second = ingestPostgresPapers({ pool, where: 'the PostgreSQL paper store', papers: [], embedder: createFakeEmbedder() });
    await expect(second).rejects.toThrow(IndexLockedError);
    await expect(ingestPostgresPapers({ pool, where: 'the PostgreSQL paper store', papers: [], embedder: createFakeEmbedder() })).rejects.toThrow(
      `Another ingest is running (pid ${process.pid}) on the paper index in the PostgreSQL paper store`,
    );
    release();
    await first;
    holder.release();
    const other = await pool.connect();
    try {
      await expect(lockPaperIngest(other, 'again', async () => 'ran')).resolves.toBe('ran');
    } finally {
      other.release();
    }
  });
});
