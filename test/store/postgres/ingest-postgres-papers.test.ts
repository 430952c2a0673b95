import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Paper, PaperEntry } from '../../../src/corpus/paper.js';
import { localCandidateSource } from '../../../src/retrieval/candidate-source.js';
import { EmbedderMismatchError } from '../../../src/store/index-errors.js';
import { ingestPostgresPapers } from '../../../src/store/postgres/ingest-postgres-papers.js';
import { createPaperPool, createPostgresPaperStore, preparePaperDatabase } from '../../../src/store/postgres/postgres-paper-store.js';
import { IMPACT_AVGDL_DRIFT, postingImpactSql } from '../../../src/store/postgres/posting-impact.js';
import { NAME_CANDIDATES_CURRENT_SQL } from '../../../src/store/postgres/name-candidates-sql.js';
import { readPaperCorpus } from '../../../src/store/postgres/read-paper-corpus.js';
import { withDistinctAliases } from '../../../src/corpus/extract-aliases.js';
import { LexicalIndex } from '../../../src/retrieval/lexical-index.js';
import { findNamedPapersIn, mentionCounter, type NamedPaper } from '../../../src/retrieval/match-aliases.js';
import { createFakeEmbedder } from '../../support/fake-embedder.js';
import { loadTestCorpus } from '../../support/load-test-corpus.js';
import { startPgliteServer, type PgliteServer } from '../../support/pglite-server.js';
import { makeDataDir, nodeArgsFor, PROJECT_DIR, runCliInProcess } from '../../support/run-cli.js';
import { unpackTerms } from '../../support/packed-terms.js';

// Ingest into PostgreSQL (PGlite + pgvector over pglite-socket; one database, reset between tests).

let server: PgliteServer;
let pool: pg.Pool;
const embedder = createFakeEmbedder({ dimensions: 48 });
const corpus = loadTestCorpus();

beforeAll(async () => {
  server = await startPgliteServer();
  pool = createPaperPool(server.database());
}, 180_000);
afterAll(async () => {
  await pool?.end();
  await server?.stop();
});
beforeEach(async () => {
  await pool.query(`DROP TABLE IF EXISTS paperbot_paper_term_lists, paperbot_paper_name_keys, paperbot_paper_names, paperbot_paper_catalogue, paperbot_papers, paperbot_paper_postings, paperbot_paper_terms, paperbot_paper_corpus, paperbot_paper_vectors`);
  await pool.query(`DROP TABLE IF EXISTS paperbot_migrations`);
  await preparePaperDatabase(pool, server.database());
});

const ingest = (papers: readonly Paper[], more: Partial<Parameters<typeof ingestPostgresPapers>[0]> = {}) =>
  ingestPostgresPapers({ pool, where: 'the test database', papers, embedder, ...more });
const count = async (table: string) => Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
const generation = async () => Number((await pool.query('SELECT generation FROM paperbot_paper_corpus')).rows[0].generation);

/**
 * The packed BM25 rows decoded, next to what the postings table says they must be: each term's `top`
 * (its postings by impact, best first — every one here: the test corpora are below TOP_POSTINGS) and each
 * paper's term list (its postings' counts under the terms' ids, its length and position).
 */
async function packedRows() {
  const { rows: terms } = await pool.query<{ id: number; term: string; top: string }>(`SELECT id, term, encode(top, 'base64') AS top FROM paperbot_paper_terms`);
  const termOf = new Map(terms.map((row) => [row.id, row.term]));
  const tops = Object.fromEntries(
    terms.map((row) => {
      const top = Buffer.from(row.top, 'base64');
      const entries = Array.from({ length: top.length / 8 }, (_, i) => [top.readInt32BE(i * 8), top.readFloatBE(i * 8 + 4)] as const);
      expect(entries.map(([, impact]) => impact)).toEqual(entries.map(([, impact]) => impact).sort((a, b) => b - a));
      return [row.term, entries.map(([key, impact]) => `${key}:${impact}`).sort()];
    }),
  );
  const { rows: lists } = await pool.query<{ paper_key: number; id: string; position: number; lexical_length: number; terms: string }>(
    `SELECT paper_key, id, position, lexical_length, encode(terms, 'base64') AS terms FROM paperbot_paper_term_lists`,
  );
  const termLists = Object.fromEntries(
    lists.map((row) => {
      const entries = unpackTerms(Buffer.from(row.terms, 'base64')).map(({ id, title, abstract }) => `${termOf.get(id)}:${title}:${abstract}`);
      return [`${row.paper_key}`, { id: row.id, position: row.position, length: row.lexical_length, terms: entries.sort() }];
    }),
  );
  const { rows: postings } = await pool.query<{ paper_key: number; term: string; title_tf: number; abstract_tf: number; impact: number }>(
    `SELECT paper_key, term, title_tf, abstract_tf, impact FROM paperbot_paper_postings`,
  );
  const { rows: papers } = await pool.query<{ key: number; id: string; position: number; lexical_length: number }>(`SELECT key, id, position, lexical_length FROM paperbot_papers`);
  const wantTops: Record<string, string[]> = {};
  const wantTerms: Record<string, string[]> = {};
  for (const row of postings) {
    // The REAL as PostgreSQL prints it (shortest digits) is that float4 again.
    (wantTops[row.term] ??= []).push(`${row.paper_key}:${Math.fround(row.impact)}`);
    (wantTerms[row.paper_key] ??= []).push(`${row.term}:${row.title_tf}:${row.abstract_tf}`);
  }
  const want = {
    tops: Object.fromEntries(Object.entries(wantTops).map(([term, entries]) => [term, entries.sort()])),
    termLists: Object.fromEntries(papers.map((p) => [`${p.key}`, { id: p.id, position: p.position, length: p.lexical_length, terms: (wantTerms[p.key] ?? []).sort() }])),
  };
  return { got: { tops, termLists }, want };
}

/** The packed rows are exactly what the postings table makes them (see packedRows). */
async function expectPackedRowsCurrent(): Promise<void> {
  const { got, want } = await packedRows();
  expect(Object.keys(got.termLists).length).toBeGreaterThan(0);
  expect(got).toEqual(want);
}

/** The store as a process opens it (its own pool, closed after). */
async function openStore() {
  await pool.end();
  const opened = await createPostgresPaperStore({ database: server.database(), embedder }).open();
  return {
    opened,
    close: async () => {
      await opened.close();
      pool = createPaperPool(server.database());
    },
  };
}

describe('ingest into PostgreSQL', () => {
  it('writes papers, vectors and term statistics; re-running is idempotent; changes are incremental', async () => {
    expect(await ingest(corpus)).toMatchObject({ added: 252, updated: 0, removed: 0, rebuilt: true, total: 252 });
    expect([await count('paperbot_papers'), await count('paperbot_paper_vectors')]).toEqual([252, 252]);
    const first = await generation();
    const calls = embedder.calls;
    expect(await ingest(corpus)).toMatchObject({ added: 0, updated: 0, unchanged: 252, removed: 0, rebuilt: false });
    expect([await generation(), embedder.calls]).toEqual([first, calls]);

    const changed = { ...corpus[0]!, abstract: `${corpus[0]!.abstract} Zebrafish locomotion is studied too.`, contentHash: 'changed' };
    const next = [changed, ...corpus.slice(1, 250)];
    expect(await ingest(next)).toMatchObject({ added: 0, updated: 1, unchanged: 249, removed: 2, total: 250 });
    expect([await count('paperbot_papers'), await count('paperbot_paper_vectors'), await generation()]).toEqual([250, 250, first + 1]);

    const { opened, close } = await openStore();
    try {
      const hits = await opened.candidates.lexical(opened.lexical.queryTerms('zebrafish locomotion'), 5);
      expect(hits[0]?.id).toBe(changed.id);
      expect(opened.lexical.documentFrequency('zebrafish')).toBe(1);
      expect((await opened.catalogue()).map((p) => p.id)).toEqual(next.map((p) => p.id));
    } finally {
      await close();
    }
  });

  it('a failure while writing rolls everything back: the previous papers stay searchable, unchanged', async () => {
    await ingest(corpus);
    const before = await generation();
    const failing = ingest(corpus.slice(0, 200), {
      rebuild: true,
      onProgress: (p) => {
        if (p.phase === 'writing' && p.done > 0) throw new Error('killed mid-write');
      },
    });
    await expect(failing).rejects.toThrow('killed mid-write');
    expect([await count('paperbot_papers'), await count('paperbot_paper_vectors'), await generation()]).toEqual([252, 252, before]);
    const { opened, close } = await openStore();
    try {
      expect(await opened.catalogue()).toHaveLength(252);
      const [vector] = await embedder.embed([`${corpus[7]!.title}. ${corpus[7]!.title}. ${corpus[7]!.abstract}`]);
      expect((await opened.candidates.dense(vector!, 1))[0]?.id).toBe(corpus[7]!.id);
    } finally {
      await close();
    }
  });

  it('refuses another embedder without --rebuild; --rebuild re-embeds everything with it', async () => {
    await ingest(corpus);
    const other = createFakeEmbedder({ dimensions: 24, id: 'other-embedder@1' });
    await expect(ingest(corpus, { embedder: other })).rejects.toThrow(EmbedderMismatchError);
    await expect(ingest(corpus, { embedder: other })).rejects.toThrow(/paperbot ingest --rebuild/);
    expect(await ingest(corpus, { embedder: other, rebuild: true })).toMatchObject({ added: 252, rebuilt: true, total: 252 });
    const dims = await pool.query(`SELECT vector_dims(embedding) AS d FROM paperbot_paper_vectors LIMIT 1`);
    expect(dims.rows[0].d).toBe(24);
    await expect(createPostgresPaperStore({ database: server.database(), embedder }).open()).rejects.toThrow(EmbedderMismatchError);
  });

  it('the vectors table has the HNSW cosine index and a dimensioned column (so the index can be used)', async () => {
    await ingest(corpus.slice(0, 20));
    const { rows } = await pool.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'paperbot_paper_vectors' AND indexdef LIKE '%hnsw%'`);
    expect(rows[0]?.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    const type = await pool.query(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'paperbot_paper_vectors'::regclass AND attname = 'embedding'`);
    expect(type.rows[0].t).toBe('vector(48)');
  });

  it('migrations 2 and 3 turn the papers of a migration-1 database into the same postings (and impacts) an ingest writes', async () => {
    await ingest(corpus.slice(0, 40));
    const postings = () =>
      pool.query(`SELECT p.id, s.term, s.title_tf, s.abstract_tf, s.lexical_length, s.impact FROM paperbot_paper_postings s JOIN paperbot_papers p ON p.key = s.paper_key ORDER BY p.id, s.term`);
    const written = (await postings()).rows;
    expect(written.length).toBeGreaterThan(40 * 20);
    expect(written.some((row) => row.title_tf > 0 && row.abstract_tf > 0)).toBe(true);
    // Back to the shape of migration 1 (papers kept), then migrate again.
    await pool.query('DROP TABLE paperbot_paper_term_lists, paperbot_paper_names, paperbot_paper_name_keys');
    await pool.query('ALTER TABLE paperbot_paper_terms DROP COLUMN id, DROP COLUMN top');
    await pool.query('DROP TABLE paperbot_paper_catalogue');
    await pool.query('DROP TABLE paperbot_paper_postings');
    await pool.query('ALTER TABLE paperbot_papers DROP COLUMN key');
    await pool.query('CREATE INDEX paperbot_papers_search ON paperbot_papers USING GIN (search)');
    await pool.query('ALTER TABLE paperbot_paper_corpus DROP COLUMN impact_avgdl');
    await pool.query('ALTER TABLE paperbot_papers DROP COLUMN name_candidates');
    await pool.query(`DELETE FROM paperbot_migrations WHERE component = 'papers' AND version IN (2, 3, 4, 5, 6, 7, 8, 9)`);
    await preparePaperDatabase(pool, server.database());
    expect((await postings()).rows).toEqual(written);
    // Migrations 7 and 8 pack them as an ingest does; 9 indexes them by paper id (the dense top-k's join).
    await expectPackedRowsCurrent();
    expect((await pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'paperbot_paper_term_lists_id'`)).rows).toEqual([
      { indexdef: expect.stringContaining('(id)') },
    ]);
    // Migration 5's catalogue: every paper without its abstract, in corpus order (no name candidates kept before migration 4).
    const catalogue = await pool.query<{ entry: string }>('SELECT entry FROM paperbot_paper_catalogue ORDER BY position');
    expect(catalogue.rows.map((row) => JSON.parse(row.entry))).toEqual(corpus.slice(0, 40).map(({ abstract: _abstract, contentHash: _contentHash, source: _source, ...paper }) => ({ paper, names: null })));
    // Migration 6: no name rows yet; every paper marked for the next ingest to name.
    expect([await count('paperbot_paper_names'), await count('paperbot_paper_catalogue WHERE NOT named')]).toEqual([0, 40]);
  });

  it("migration 8 rewrites a migration-7 database's fixed-width term lists as varints", async () => {
    await ingest(corpus.slice(0, 30));
    // The lists as migration 7 wrote them: int4 term id, int2 title and abstract counts per term.
    await pool.query(
      `UPDATE paperbot_paper_term_lists l SET terms = (
         SELECT string_agg(int4send(t.id) || int2send(s.title_tf) || int2send(s.abstract_tf), ''::bytea ORDER BY t.id)
         FROM paperbot_paper_postings s JOIN paperbot_paper_terms t ON t.term = s.term WHERE s.paper_key = l.paper_key)`,
    );
    const bytes = async () => Number((await pool.query('SELECT sum(length(terms))::int8 AS n FROM paperbot_paper_term_lists')).rows[0].n);
    const fixed = await bytes();
    await pool.query(`DELETE FROM paperbot_migrations WHERE component = 'papers' AND version >= 8`); // a database at version 7
    await preparePaperDatabase(pool, server.database());
    await expectPackedRowsCurrent();
    expect(await bytes()).toBeLessThan(fixed / 3);
  });

  it("every posting's impact is computed with the corpus row's average length, recomputed when an ingest moves it past the drift", async () => {
    const impacts = async () => {
      const { rows } = await pool.query(
        `SELECT c.impact_avgdl::float8 AS kept, c.total_length::float8 / c.paper_count AS actual,
                max(abs(s.impact - ${postingImpactSql('c.impact_avgdl')}))::float8 AS off
         FROM paperbot_paper_postings s CROSS JOIN paperbot_paper_corpus c GROUP BY c.impact_avgdl, c.total_length, c.paper_count`,
      );
      const row = rows[0] as { kept: number; actual: number; off: number };
      expect(row.off).toBeLessThan(1e-5);
      expect(Math.abs(row.actual / row.kept - 1)).toBeLessThanOrEqual(IMPACT_AVGDL_DRIFT);
      return row.kept;
    };
    await ingest(corpus.slice(0, 40));
    const first = await impacts();
    // One more paper moves the average a little: the new postings use the kept average.
    await ingest(corpus.slice(0, 41));
    expect(await impacts()).toBe(first);
    // Abstracts three times as long: every impact is computed again with the new average.
    const longer = corpus.slice(0, 41).map((p) => ({ ...p, abstract: `${p.abstract} ${p.abstract} ${p.abstract}`, contentHash: `${p.contentHash}-x3` }));
    await ingest(longer);
    expect(await impacts()).toBeGreaterThan(first * 2);
  });

  it("keeps each paper's name candidates from the ingest; rows without current ones get theirs extracted on open, and stored by the next ingest", async () => {
    await ingest(corpus);
    const aliasesOf = (papers: readonly PaperEntry[]) => papers.map((p) => [p.aliases ?? [], p.acronyms ?? []] as const);
    // The names the embedded store gives the same papers (extracted from the abstracts as they are loaded).
    const extracted = aliasesOf(withDistinctAliases(corpus, mentionCounter(LexicalIndex.build(corpus))));
    let { opened, close } = await openStore();
    const fromIngest = aliasesOf(await opened.catalogue());
    // The whole papers a search loads get the same names from the name rows (no catalogue needed).
    const whole = await opened.wholePapers(corpus.map((paper) => paper.id));
    expect(aliasesOf(corpus.map((paper) => whole.get(paper.id)!))).toEqual(extracted);
    await close();
    expect(fromIngest).toEqual(extracted);
    expect(fromIngest.some(([aliases, acronyms]) => aliases.length > 0 && acronyms.length > 0)).toBe(true);
    // As a database migrated from version 3 has them (none), and as an earlier version stored them (no acronyms).
    await pool.query('UPDATE paperbot_papers SET name_candidates = NULL WHERE position % 3 = 0');
    await pool.query(`UPDATE paperbot_papers SET name_candidates = name_candidates - 'acronyms' WHERE position % 3 = 1`);
    await pool.query(`UPDATE paperbot_paper_catalogue SET entry = jsonb_set(entry::jsonb, '{names}', 'null')::text WHERE position % 3 = 0`);
    await pool.query(`UPDATE paperbot_paper_catalogue SET entry = (entry::jsonb #- '{names,acronyms}')::text WHERE position % 3 = 1`);
    // As migration 6 leaves the papers written before it: no name rows.
    await pool.query('DELETE FROM paperbot_paper_names WHERE paper_key IN (SELECT key FROM paperbot_paper_catalogue WHERE position % 3 = 2)');
    await pool.query('UPDATE paperbot_paper_catalogue SET named = false WHERE position % 3 = 2');
    const current = async () => {
      const papers = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM paperbot_papers WHERE ${NAME_CANDIDATES_CURRENT_SQL}`);
      const catalogue = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM paperbot_paper_catalogue WHERE entry::jsonb -> 'names' ? 'acronyms'`);
      return [papers.rows[0]!.n, catalogue.rows[0]!.n];
    };
    expect(await current()).toEqual([84, 84]);
    ({ opened, close } = await openStore());
    try {
      expect(aliasesOf(await opened.catalogue())).toEqual(fromIngest);
      // Opened from the catalogue (some papers have no name rows): whole papers get the catalogue's names.
      const wholeAgain = await opened.wholePapers(corpus.map((paper) => paper.id));
      expect(aliasesOf(corpus.map((paper) => wholeAgain.get(paper.id)!))).toEqual(extracted);
    } finally {
      await close();
    }
    const named = async () => [await count('paperbot_paper_catalogue WHERE named'), await count('paperbot_paper_names')];
    const [, rowsBefore] = await named();
    const generation = (await readPaperCorpus(pool))!.generation;
    expect(await ingest(corpus)).toMatchObject({ added: 0, updated: 0, unchanged: 252 });
    expect(await current()).toEqual([252, 252]);
    const [namedAfter, rowsAfter] = await named();
    expect(namedAfter).toBe(252);
    expect(rowsAfter).toBeGreaterThan(rowsBefore!);
    expect((await readPaperCorpus(pool))!.generation).toBe(generation + 1);
    expect(await ingest(corpus)).toMatchObject({ unchanged: 252 });
    expect((await readPaperCorpus(pool))!.generation).toBe(generation + 1);
  });

  it('opening reads no paper list: the catalogue (without abstracts) is read when first asked for; whole papers of given ids come on request', async () => {
    await ingest(corpus.slice(0, 200));
    const { opened, close } = await openStore();
    try {
      expect(opened.info.paperCount).toBe(200);
      // Another process's ingest after this open: the list read now is the database's.
      const other = createPaperPool(server.database());
      await ingestPostgresPapers({ pool: other, where: 'the test database', papers: corpus, embedder }).finally(() => other.end());
      const papers = await opened.catalogue();
      expect(papers).toHaveLength(252);
      expect(papers.every((paper) => !('abstract' in paper) && !('contentHash' in paper))).toBe(true);
      const ids = [corpus[5]!.id, 'no-such-paper', corpus[0]!.id];
      const whole = await opened.wholePapers(ids);
      expect([...whole.keys()]).toEqual(expect.arrayContaining([corpus[5]!.id, corpus[0]!.id]));
      expect(whole.size).toBe(2);
      const { aliases: _a, acronyms: _b, ...paper5 } = whole.get(corpus[5]!.id)!;
      expect(paper5).toEqual(corpus[5]);
    } finally {
      await close();
    }
  });

  it('finds the papers a query names from the name rows exactly as from the names in memory', async () => {
    await ingest(corpus);
    // Every name candidate's key: the distinct ones and the ones several papers share (no paper's alias).
    const { rows } = await pool.query<{ key: string }>('SELECT DISTINCT key FROM paperbot_paper_names ORDER BY key');
    const keys = rows.map((row) => row.key);
    const { opened, close } = await openStore();
    try {
      const papers = await opened.catalogue();
      const inMemory = findNamedPapersIn(papers);
      const sorted = (found: readonly NamedPaper[]) => [...found].sort((a, b) => a.key.localeCompare(b.key) || a.id.localeCompare(b.id) || a.alias.localeCompare(b.alias));
      expect(keys.length).toBeGreaterThan(100);
      const fromDatabase = sorted(await opened.findNamed(keys));
      expect(fromDatabase).toEqual(sorted(await inMemory(keys)));
      expect(fromDatabase.length).toBeGreaterThan(50);
      expect(fromDatabase.length).toBeLessThan(keys.length);
      expect(await opened.findNamed(['nosuchname'])).toEqual([]);
    } finally {
      await close();
    }
  });

  it("ingests keep the packed BM25 rows exactly what the postings make them: adding, changing, removing, moving papers, impacts recomputed, --rebuild", async () => {
    await ingest(corpus.slice(0, 30));
    await expectPackedRowsCurrent();
    // Five removed, three changed, ten added, the rest in a new order.
    const changed = corpus.slice(5, 8).map((p) => ({ ...p, abstract: `${p.abstract} Zorblax quasicrystal tiling.`, contentHash: `${p.contentHash}-z` }));
    await ingest([...corpus.slice(30, 40), ...changed, ...corpus.slice(8, 30).reverse()]);
    const { got } = await packedRows();
    expect(Object.keys(got.tops)).toContain('zorblax');
    await expectPackedRowsCurrent();
    // Abstracts three times as long: every impact (and every term's best postings) computed again.
    await ingest(corpus.slice(30, 40).map((p) => ({ ...p, abstract: `${p.abstract} ${p.abstract} ${p.abstract}`, contentHash: `${p.contentHash}-x3` })));
    await expectPackedRowsCurrent();
    await ingest(corpus.slice(0, 12), { rebuild: true });
    await expectPackedRowsCurrent();
    expect(Object.keys((await packedRows()).got.termLists)).toHaveLength(12);
  });

  it('the lexical source agrees with the embedded BM25 after incremental changes too', async () => {
    await ingest(corpus);
    await ingest(corpus.slice(10));
    const { LexicalIndex } = await import('../../../src/retrieval/lexical-index.js');
    const { InMemoryVectorIndex } = await import('../../../src/retrieval/in-memory-vector-index.js');
    const local = localCandidateSource(LexicalIndex.build(corpus.slice(10)), new InMemoryVectorIndex([]));
    const { opened, close } = await openStore();
    try {
      // The catalogue lost the removed papers and holds the others in their new order.
      expect((await opened.catalogue()).map((paper) => paper.id)).toEqual(corpus.slice(10).map((paper) => paper.id));
      const terms = opened.lexical.queryTerms('prompt based continual learning');
      expect((await opened.candidates.lexical(terms, 10)).map((m) => m.id)).toEqual((await local.lexical(terms, 10)).map((m) => m.id));
    } finally {
      await close();
    }
  });
});

/** This process's open client connections to `port` (sockets whose far end is it). */
function connectionsTo(port: number): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((handle) => handle instanceof net.Socket && !handle.destroyed && handle.remotePort === port).length;
}

/** `paperbot ingest` as its own process, SIGKILLed as soon as it reports writing (inside its transaction). */
function killIngestWhileWriting(env: Record<string, string>): Promise<{ killed: boolean; stderr: string }> {
  const child = spawn(process.execPath, [...nodeArgsFor(path.join(PROJECT_DIR, 'src', 'cli', 'main.ts')), 'ingest'], {
    cwd: os.tmpdir(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let stderr = '';
  let killed = false;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (!killed && /Writing the index: 0\//.test(stderr)) killed = child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('close', () => resolve({ killed, stderr })));
}

describe('the CLI with the papers in PostgreSQL', () => {
  it('an ingest process killed inside its transaction leaves the previous papers searchable', async () => {
    const dataDir = await makeDataDir();
    await pool.end();
    try {
      const env = { PAPERBOT_DATA_DIR: dataDir, DATABASE_URL: server.url, DATABASE_POOL_MAX: '1' };
      expect((await runCliInProcess(['ingest'], { env })).code).toBe(0);
      // Enough new papers that writing them takes a while.
      const lines = Array.from({ length: 1500 }, (_, i) =>
        JSON.stringify({ title: `Synthetic study ${i} of widget calibration`, abstract: `We calibrate widget number ${i} with a synthetic protocol. `.repeat(6) }),
      );
      await writeFile(path.join(dataDir, 'corpus', 'synthetic.jsonl'), `${lines.join('\n')}\n`);
      const run = await killIngestWhileWriting(env);
      expect(run.killed).toBe(true);
      const search = await runCliInProcess(['search', 'video masked autoencoders', '--json'], { env });
      expect(JSON.parse(search.stdout).results[0].title).toMatch(/^VideoMAE V2/);
      const papers = await runCliInProcess(['papers', '--json'], { env });
      expect(papers.stdout.trim().split('\n')).toHaveLength(252);
      // Run again, it completes.
      expect((await runCliInProcess(['ingest'], { env })).stdout).toMatch(/1500 added, 0 updated, 252 unchanged, 0 removed, 0 skipped — 1,?752 papers/);
    } finally {
      pool = createPaperPool(server.database());
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);


  it('paperbot ingest writes to the database (said so), search answers from it; migrate --to copies the local papers and vectors', async () => {
    const dataDir = await makeDataDir();
    await pool.end();
    try {
      const env = { PAPERBOT_DATA_DIR: dataDir, DATABASE_URL: server.url, DATABASE_POOL_MAX: '1' };
      const ingested = await runCliInProcess(['ingest'], { env });
      expect(ingested.stderr + ingested.stdout).toMatch(/252 papers in the PostgreSQL paper store \(DATABASE_URL=postgres:\/\/\S*127\.0\.0\.1:\d+\/postgres\)/);
      const again = await runCliInProcess(['ingest'], { env });
      expect(again.stdout).toMatch(/0 added, 0 updated, 252 unchanged, 0 removed/);
      const search = await runCliInProcess(['search', 'video masked autoencoders', '--json'], { env });
      expect(search.code).toBe(0);
      // Its connections were closed when the command was done (left open, they would hold the process for the pool's idle timeout).
      // (An ended pool's sockets close a moment later; a pool left open would keep its connection for its 10 s idle timeout.)
      await vi.waitFor(() => expect(connectionsTo(Number(new URL(server.url).port))).toBe(0), { timeout: 3_000, interval: 50 });
      expect(JSON.parse(search.stdout)).toMatchObject({ relevant: true, results: expect.arrayContaining([expect.objectContaining({ title: expect.stringMatching(/^VideoMAE V2/) })]) });
      expect(JSON.parse(search.stdout).results[0].title).toMatch(/^VideoMAE V2/);

      // A local index (PAPER_STORE=local builds it), then copied into an emptied database.
      expect((await runCliInProcess(['papers', '--json'], { env: { ...env, PAPER_STORE: 'local' } })).code).toBe(0);
      const admin = createPaperPool(server.database());
      await admin.query('DELETE FROM paperbot_papers; DELETE FROM paperbot_paper_corpus; DELETE FROM paperbot_paper_vectors');
      await admin.end();
      const migrated = await runCliInProcess(['migrate', '--to', server.url], { env: { PAPERBOT_DATA_DIR: dataDir } });
      expect(migrated.code).toBe(0);
      expect(migrated.stderr).toMatch(/Papers: copied 252 papers with their vectors .*\(252 added, 0 updated, 0 unchanged, 0 removed\)/);
      const rerun = await runCliInProcess(['migrate', '--to', server.url], { env: { PAPERBOT_DATA_DIR: dataDir } });
      expect(rerun.stderr).toMatch(/\(0 added, 0 updated, 252 unchanged, 0 removed\)/);
      const after = await runCliInProcess(['search', 'video masked autoencoders', '--json'], { env });
      expect(JSON.parse(after.stdout).relevant).toBe(true);
      expect(JSON.parse(after.stdout).results[0].title).toMatch(/^VideoMAE V2/);
    } finally {
      pool = createPaperPool(server.database());
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
