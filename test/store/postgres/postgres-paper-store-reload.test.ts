import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPaperbot } from '../../../src/app/create-paperbot.js';
import { loadConfig } from '../../../src/config.js';
import type { Paper } from '../../../src/corpus/paper.js';
import { ingestPostgresPapers } from '../../../src/store/postgres/ingest-postgres-papers.js';
import { createPaperPool, createPostgresPaperStore } from '../../../src/store/postgres/postgres-paper-store.js';
import { createFakeEmbedder } from '../../support/fake-embedder.js';
import { fakePaper } from '../../support/fake-paperbot.js';
import { loadTestCorpus } from '../../support/load-test-corpus.js';
import { startPgliteServer, type PgliteServer } from '../../support/pglite-server.js';

// A running process sees the papers another process ingested into PostgreSQL, without a restart.
// PGlite over pglite-socket is one session: the "other process" is a second pool, used while the first is idle.

let server: PgliteServer;
const embedder = createFakeEmbedder({ dimensions: 48 });
const corpus = loadTestCorpus();

beforeAll(async () => {
  server = await startPgliteServer();
}, 180_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  vi.useRealTimers();
  const pool = createPaperPool(server.database());
  await pool.query('DROP TABLE IF EXISTS paperbot_paper_term_lists, paperbot_paper_name_keys, paperbot_paper_names, paperbot_paper_catalogue, paperbot_papers, paperbot_paper_postings, paperbot_paper_terms, paperbot_paper_corpus, paperbot_paper_vectors, paperbot_migrations');
  await pool.end();
});

/** Another process's ingest: its own pool, closed after. */
async function ingestElsewhere(papers: readonly Paper[]): Promise<void> {
  const pool: pg.Pool = createPaperPool(server.database());
  try {
    await ingestPostgresPapers({ pool, where: 'the test database', papers, embedder });
  } finally {
    await pool.end();
  }
}

const NEW_PAPER = fakePaper('zygomorphic-lattice-sieves', 'Zygomorphic lattice sieves for quasicrystal tiling', 'We tile quasicrystals with zygomorphic lattice sieves.');

describe('the PostgreSQL paper store catches up with another process', () => {
  it('currentVersion is the corpus generation, read at most once per interval; reopen serves the new papers over the same pool', async () => {
    const store = createPostgresPaperStore({ database: server.database(), embedder, fillEmpty: (write) => write(corpus), versionCheckIntervalMs: 60_000 });
    const opened = await store.open();
    try {
      expect(await store.currentVersion!()).toBe(opened.info.version);
      await ingestElsewhere([...corpus, NEW_PAPER]);
      // Within the interval the store answers what it read last: no query per request.
      expect(await store.currentVersion!()).toBe(opened.info.version);

      const reopened = await store.reopen!();
      expect(Number(reopened.info.version)).toBe(Number(opened.info.version) + 1);
      expect(await store.currentVersion!()).toBe(reopened.info.version);
      expect((await reopened.catalogue()).map((p) => p.id)).toEqual([...corpus.map((p) => p.id), NEW_PAPER.id]);
      expect(reopened.lexical.documentFrequency('zygomorph')).toBe(1);
      const terms = reopened.lexical.queryTerms('zygomorphic lattice sieves');
      expect((await reopened.candidates.lexical(terms, 3))[0]?.id).toBe(NEW_PAPER.id);
      // The first version still answers (over the same pool, with its own statistics, which lack the new terms).
      expect(opened.lexical.hasTerm('zygomorph')).toBe(false);
      expect(await opened.candidates.lexical(opened.lexical.queryTerms('video masked autoencoders'), 3)).toHaveLength(3);
    } finally {
      await opened.close();
    }
    expect(await store.currentVersion!()).toBeUndefined();
    await expect(store.reopen!()).rejects.toThrow(/closed/);
  });

  it('asks the database again once the interval has passed', async () => {
    const store = createPostgresPaperStore({ database: server.database(), embedder, fillEmpty: (write) => write(corpus), versionCheckIntervalMs: 0 });
    const opened = await store.open();
    try {
      await ingestElsewhere([...corpus, NEW_PAPER]);
      expect(Number(await store.currentVersion!())).toBe(Number(opened.info.version) + 1);
    } finally {
      await opened.close();
    }
  });

  it('a running Paperbot (PAPER_STORE=postgres) answers from papers another process ingested, within the check interval, without restart', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-pg-reload-'));
    const config = loadConfig({ PAPERBOT_DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: server.url, DATABASE_POOL_MAX: '1', PAPER_STORE: 'postgres' });
    const bot = await createPaperbot(config, { embedder });
    try {
      const before = bot.indexVersion();
      const query = 'zygomorphic lattice sieves quasicrystal tiling';
      expect((await bot.search(query)).hits.map((h) => h.paper.id)).not.toContain(NEW_PAPER.id);

      const pool = createPaperPool(server.database());
      const stored = (await pool.query<{ paper: Paper }>('SELECT paper FROM paperbot_papers ORDER BY position')).rows.map((row) => row.paper);
      await pool.end();
      await ingestElsewhere([...stored, NEW_PAPER]);

      vi.useFakeTimers({ toFake: ['Date'] });
      await bot.search(query);
      expect(bot.indexVersion()).toBe(before); // checked less than 5 s ago: still the view it had
      vi.setSystemTime(Date.now() + 6_000);
      const after = await bot.search(query);
      expect(after.hits[0]?.paper.id).toBe(NEW_PAPER.id);
      expect(bot.indexVersion()).not.toBe(before);
      expect((await bot.getPapers([NEW_PAPER.id])).get(NEW_PAPER.id)?.title).toBe(NEW_PAPER.title);
      expect((await bot.resolvePaper(NEW_PAPER.title)).id).toBe(NEW_PAPER.id);
    } finally {
      vi.useRealTimers();
      await bot.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
