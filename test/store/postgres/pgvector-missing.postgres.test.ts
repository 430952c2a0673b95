import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPaperStoreAvailable } from '../../../src/app/paper-store.js';
import { createPostgresPaperStore } from '../../../src/store/postgres/postgres-paper-store.js';
import { createFakeEmbedder } from '../../support/fake-embedder.js';
import { createTestSchema, type TestSchema } from '../../support/postgres.js';
import { makeDataDir, runCliInProcess } from '../../support/run-cli.js';

// The real test server has no pgvector: papers in PostgreSQL must be refused with both ways out.
let schema: TestSchema;
let dataDir: string;
beforeAll(async () => {
  schema = await createTestSchema();
  dataDir = await makeDataDir();
});
afterAll(async () => {
  await schema?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const WAYS_OUT = /set PAPER_STORE=local .*or install pgvector in the database/;

describe('papers in a database without pgvector', () => {
  it('the start-up check names PAPER_STORE=local and installing pgvector', async () => {
    await expect(assertPaperStoreAvailable({ paperStore: 'postgres', database: schema.database() })).rejects.toThrow(WAYS_OUT);
  });

  it('opening the store fails the same way, before touching the corpus', async () => {
    const store = createPostgresPaperStore({ database: schema.database(), embedder: createFakeEmbedder() });
    await expect(store.open()).rejects.toThrow(/has no pgvector/);
  });

  it('the CLI with DATABASE_URL and PAPER_STORE unset: one clear message, exit 2; PAPER_STORE=local works', async () => {
    const refused = await runCliInProcess(['search', 'video masked autoencoders'], { env: { DATABASE_URL: schema.url, PAPERBOT_DATA_DIR: dataDir } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(WAYS_OUT);
    const local = await runCliInProcess(['search', 'video masked autoencoders', '--json'], { env: { DATABASE_URL: schema.url, PAPER_STORE: 'local', PAPERBOT_DATA_DIR: dataDir } });
    expect(local.code).toBe(0);
    expect(JSON.parse(local.stdout).relevant).toBe(true);
  }, 120_000);
});
