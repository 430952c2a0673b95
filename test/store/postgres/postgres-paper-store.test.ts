import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDistinctAliases } from '../../../src/corpus/extract-aliases.js';
import type { Paper, PaperEntry } from '../../../src/corpus/paper.js';
import { createPaperLoader } from '../../../src/corpus/paper-loader.js';
import type { Embedder } from '../../../src/embedding/embedder.js';
import { evaluateRetrieval } from '../../../src/eval/evaluate-retrieval.js';
import { loadEvalQuestions } from '../../../src/eval/load-eval-questions.js';
import { localCandidateSource } from '../../../src/retrieval/candidate-source.js';
import { mentionCounter } from '../../../src/retrieval/match-aliases.js';
import { createHybridSearcher } from '../../../src/retrieval/search-papers.js';
import { tokenize } from '../../../src/text/tokenize.js';
import type { OpenedPaperStore } from '../../../src/store/paper-store.js';
import { ingestPostgresPapers } from '../../../src/store/postgres/ingest-postgres-papers.js';
import { createPaperPool, createPostgresPaperStore } from '../../../src/store/postgres/postgres-paper-store.js';
import { createPostgresCandidateSource, type Bm25Reach } from '../../../src/store/postgres/postgres-candidate-source.js';
import { readPaperCorpus, type PaperCorpusRow } from '../../../src/store/postgres/read-paper-corpus.js';
import { readTermStatistics, type TermStatistics } from '../../../src/store/postgres/term-statistics.js';
import { TOP_POSTINGS } from '../../../src/store/postgres/packed-postings.js';
import { DEFAULT_LEXICAL_PARAMS } from '../../../src/retrieval/lexical-index.js';
import { buildTestRetrieval, type TestRetrievalSetup } from '../../support/build-test-searcher.js';
import { DEV_QUESTIONS_FILE, PARAPHRASE_QUESTIONS_FILE, loadTestCorpus } from '../../support/load-test-corpus.js';
import { startPgliteServer, type PgliteServer } from '../../support/pglite-server.js';

let server: PgliteServer;
let local: TestRetrievalSetup;
let opened: OpenedPaperStore;

beforeAll(async () => {
  [server, local] = await Promise.all([startPgliteServer(), buildTestRetrieval()]);
  const store = createPostgresPaperStore({
    database: server.database(),
    embedder: local.embedder,
    fillEmpty: (writePapers) => writePapers(loadTestCorpus()),
  });
  opened = await store.open();
  papers = await opened.catalogue();
}, 180_000);

afterAll(async () => {
  await opened?.close();
  await server?.stop();
});

/** The hybrid searcher over an opened PostgreSQL store, as the app builds it: names looked up and whole papers loaded for the candidates (no paper list). */
function searchOpened(opened: OpenedPaperStore, embedder: Embedder) {
  const loadPapers = createPaperLoader(opened.wholePapers);
  return { viaPostgres: createHybridSearcher({ loadPapers, findNamed: opened.findNamed, lexical: opened.lexical, candidates: opened.candidates, embedder }) };
}

/** The paper list of the store opened for these tests. */
let papers: readonly PaperEntry[];

/**
 * A pool of its own on the test database with its corpus row and term statistics, and `recorded`: the
 * same pool, noting every statement sent through it (its text and how many rows came back).
 */
async function withRecordedPool(
  work: (setup: { recorded: pg.Pool; statements: { text: string; rows: number }[]; corpus: PaperCorpusRow; statistics: TermStatistics; termIds: ReadonlyMap<string, number> }) => Promise<void>,
): Promise<void> {
  const pool = createPaperPool(server.database());
  try {
    const corpus = (await readPaperCorpus(pool))!;
    const { statistics, termIds } = await readTermStatistics(pool, corpus.paperCount);
    const statements: { text: string; rows: number }[] = [];
    const recorded = {
      query: async (...args: unknown[]) => {
        const result = await (pool.query as (...a: unknown[]) => Promise<{ rows: unknown[] }>)(...args);
        statements.push({ text: String(args[0]), rows: result.rows.length });
        return result;
      },
    } as unknown as pg.Pool;
    await work({ recorded, statements, corpus, statistics, termIds });
  } finally {
    await pool.end();
  }
}

describe('the PostgreSQL paper store (PGlite + pgvector over pglite-socket)', () => {
  it('serves the papers of the corpus in corpus order, and says what it is', () => {
    expect(papers.map((p) => p.id)).toEqual(loadTestCorpus().map((p) => p.id));
    // A catalogue entry: the paper as ingested, without its abstract, content hash and source, with the names the embedded store gives it.
    const { abstract, contentHash, source, ...entry } = loadTestCorpus()[3]!;
    expect([abstract.length > 100, contentHash.length, source.line]).toEqual([true, 64, expect.any(Number)]);
    expect(papers[3]).toEqual({ ...entry, aliases: local.papers[3]!.aliases, acronyms: local.papers[3]!.acronyms });
    expect(papers.map((p) => [p.aliases, p.acronyms])).toEqual(local.papers.map((p) => [p.aliases, p.acronyms]));
    expect(opened.info).toMatchObject({ backend: 'postgres', paperCount: 252, embedder: { id: local.embedder.id, dimensions: local.embedder.dimensions } });
  });

  it('has the same term statistics as the embedded BM25 index (the tsvector holds our own terms)', () => {
    const terms = new Set(local.papers.flatMap((p) => tokenize(`${p.title} ${p.abstract}`)));
    const differing = [...terms].filter((t) => opened.lexical.documentFrequency(t) !== local.lexical.documentFrequency(t));
    expect(differing).toEqual([]);
    expect(opened.lexical.size).toBe(local.lexical.size);
  });

  it('returns the same lexical top-k, BM25 scores and coverage as the embedded index', async () => {
    const embedded = localCandidateSource(local.lexical, local.vectors);
    for (const query of ['video masked autoencoders', 'continual learning without rehearsal', 'L2P prompt pool', 'zzzz unknownword']) {
      const terms = local.lexical.queryTerms(query);
      const [want, got] = await Promise.all([embedded.lexical(terms, 20), opened.candidates.lexical(terms, 20)]);
      expect(got.map((m) => m.id)).toEqual(want.map((m) => m.id));
      got.forEach((m, i) => {
        expect(m.score).toBeCloseTo(want[i]!.score, 6);
        expect(m.coverage).toBeCloseTo(want[i]!.coverage, 6);
      });
    }
  });

  it("with a short reach, BM25 reads each term's best postings only, and scores the papers it returns exactly", async () => {
    const pool = createPaperPool(server.database());
    try {
      const corpus = (await readPaperCorpus(pool))!;
      const { statistics, termIds } = await readTermStatistics(pool, corpus.paperCount);
      const withReach = (reach: Bm25Reach) => createPostgresCandidateSource({ pool, statistics, termIds, totalLength: corpus.totalLength, params: DEFAULT_LEXICAL_PARAMS, reach });
      const exact = new Map<string, { score: number; coverage: number }>();
      const short = withReach({ postingsPerTerm: 8, scoredPapers: 30 });
      for (const query of ['continual learning without rehearsal', 'L2P prompt pool', 'video masked autoencoders for efficient pretraining']) {
        const terms = local.lexical.queryTerms(query);
        for (const m of local.lexical.searchTerms(terms, 252)) exact.set(`${query}\n${m.id}`, m);
        const got = await short.lexical(terms, 20);
        expect(got.length).toBeGreaterThan(0);
        for (const m of got) {
          expect(m.score).toBeCloseTo(exact.get(`${query}\n${m.id}`)!.score, 6);
          expect(m.coverage).toBeCloseTo(exact.get(`${query}\n${m.id}`)!.coverage, 6);
        }
        expect(got.map((m) => m.score)).toEqual([...got.map((m) => m.score)].sort((a, b) => b - a));
        expect(got[0]!.id).toBe(local.lexical.searchTerms(terms, 1)[0]!.id);
      }
      // One common term: only its 8 best postings are read, and they are its exact top 8.
      const learning = local.lexical.queryTerms('learning');
      expect(local.lexical.documentFrequency(learning[0]!.term)).toBeGreaterThan(50);
      expect((await short.lexical(learning, 20)).map((m) => m.id)).toEqual(local.lexical.searchTerms(learning, 8).map((m) => m.id));
      // The packed rows and the postings table give the same BM25 (a reach past TOP_POSTINGS reads the table).
      const [packed, table] = [withReach({ postingsPerTerm: TOP_POSTINGS, scoredPapers: 400 }), withReach({ postingsPerTerm: TOP_POSTINGS + 1, scoredPapers: 400 })];
      for (const query of ['continual learning without rehearsal', 'music generation', 'a survey of large language models']) {
        const terms = statistics.queryTerms(query);
        const [a, b] = [await packed.lexical(terms, 30), await table.lexical(terms, 30)];
        expect(a.length).toBeGreaterThan(10);
        expect(a.map((m) => m.id)).toEqual(b.map((m) => m.id));
        a.forEach((m, i) => expect([m.score, m.coverage]).toEqual([expect.closeTo(b[i]!.score, 9), expect.closeTo(b[i]!.coverage, 9)]));
      }
    } finally {
      await pool.end();
    }
  });

  it('reads only the pooled papers that can be in the top k, and returns what reading the whole pool returns (with a short reach too)', async () => {
    await withRecordedPool(async ({ recorded, statements, corpus, statistics, termIds }) => {
      expect(corpus.impactAvgdl).toBeGreaterThan(0);
      const source = (impactAvgdl: number | undefined, reach: Bm25Reach) =>
        createPostgresCandidateSource({ pool: recorded, statistics, termIds, totalLength: corpus.totalLength, impactAvgdl, params: DEFAULT_LEXICAL_PARAMS, reach });
      /** Term lists read by the statements since `from`. */
      const listsReadSince = (from: number) => statements.slice(from).filter((s) => s.text.includes('lexical_length')).reduce((sum, s) => sum + s.rows, 0);
      const queries = loadEvalQuestions(DEV_QUESTIONS_FILE).map((q) => q.question);
      // The default reach; a short one (papers found in few terms' postings: loose bounds); a first read of one paper (a second statement for the rest).
      for (const reach of [{ postingsPerTerm: TOP_POSTINGS, scoredPapers: 400 }, { postingsPerTerm: 8, scoredPapers: 400 }, { postingsPerTerm: 30, scoredPapers: 400, firstRead: 1 }]) {
        const [narrowing, whole] = [source(corpus.impactAvgdl, reach), source(undefined, reach)];
        const read = { narrowing: 0, whole: 0 };
        for (const query of queries) {
          const terms = statistics.queryTerms(query);
          for (const k of [5, 20]) {
            let from = statements.length;
            const want = await whole.lexical(terms, k);
            read.whole += listsReadSince(from);
            from = statements.length;
            const got = await narrowing.lexical(terms, k);
            read.narrowing += listsReadSince(from);
            expect([query, k, got]).toEqual([query, k, want]);
          }
        }
        // The whole pool is read either way when it is no bigger than the first read (8 postings a term pool fewer papers).
        if (reach.postingsPerTerm === TOP_POSTINGS) expect(read.narrowing).toBeLessThan(read.whole * 0.2);
        else if (reach.postingsPerTerm === 8) expect(read.narrowing).toBe(read.whole);
        else expect(read.narrowing).toBeLessThan(read.whole);
      }
    });
  });

  it("gives papers' terms as tokenize does, from their packed term lists (whether BM25 read them just before or not), and leaves out unknown ids", async () => {
    const want = new Map(loadTestCorpus().map((paper) => [paper.id, new Set(tokenize(`${paper.title} ${paper.abstract}`))]));
    const ids = [...want.keys()];
    // A store just opened: every list is read by id.
    const fresh = await createPostgresPaperStore({ database: server.database(), embedder: local.embedder }).open();
    try {
      const got = await fresh.candidates.paperTerms!([...ids, 'no-such-paper']);
      expect(got.size).toBe(ids.length);
      for (const id of ids) expect([id, [...got.get(id)!].sort()]).toEqual([id, [...want.get(id)!].sort()]);
      // After a BM25 read, the pooled papers' lists come from it (the same terms).
      const matches = await fresh.candidates.lexical(fresh.lexical.queryTerms('continual learning with prompts'), 20);
      expect(matches.length).toBeGreaterThan(0);
      const again = await fresh.candidates.paperTerms!(matches.map((m) => m.id));
      for (const m of matches) expect(again.get(m.id)).toEqual(want.get(m.id));
      // Kept decoded: the same sets for a later search's candidates (also after BM25 read the same lists again).
      await fresh.candidates.lexical(fresh.lexical.queryTerms('continual learning with prompts'), 20);
      const later = await fresh.candidates.paperTerms!(matches.map((m) => m.id));
      for (const m of matches) expect(later.get(m.id)).toBe(again.get(m.id));
    } finally {
      await fresh.close();
    }
  });

  it("returns the dense top-k from PGVectorStore's table (HNSW, cosine) with the embedded cosines", async () => {
    const [vector] = await local.embedder.embed(['scaling video masked autoencoders with dual masking']);
    const want = await local.vectors.query(vector!, 50);
    const got = await opened.candidates.dense(vector!, 50);
    expect(got).toHaveLength(50);
    expect(got.map((m) => m.id).slice(0, 10)).toEqual(want.map((m) => m.id).slice(0, 10));
    expect(got[0]!.score).toBeCloseTo(want[0]!.score, 5);
    // Above the session's hnsw.ef_search (100), that search raises it: every one of the top-k comes back.
    expect(await opened.candidates.dense(vector!, 150)).toHaveLength(150);
  });

  it("reads the dense top-k's term lists with it: their terms then need no statement", async () => {
    await withRecordedPool(async ({ recorded, statements, corpus, statistics, termIds }) => {
      const source = createPostgresCandidateSource({ pool: recorded, statistics, termIds, totalLength: corpus.totalLength, params: DEFAULT_LEXICAL_PARAMS });
      const [vector] = await local.embedder.embed(['scaling video masked autoencoders with dual masking']);
      const dense = await source.dense(vector!, 30);
      expect(dense.map((m) => m.id)).toEqual((await opened.candidates.dense(vector!, 30)).map((m) => m.id));
      expect(statements).toHaveLength(1);
      const terms = await source.paperTerms!(dense.map((m) => m.id));
      expect(statements).toHaveLength(1);
      const want = new Map(loadTestCorpus().map((paper) => [paper.id, new Set(tokenize(`${paper.title} ${paper.abstract}`))]));
      for (const m of dense) expect(terms.get(m.id)).toEqual(want.get(m.id));
    });
  });

  it('gives the same search results as the embedded backend (fusion, calibration, refusals are shared)', async () => {
    const { viaPostgres } = searchOpened(opened, local.embedder);
    const embedded = local.makeSearcher();
    const questions = loadEvalQuestions(DEV_QUESTIONS_FILE).slice(0, 15).map((q) => q.question);
    for (const query of [...questions, 'how do I knit a scarf', 'L2P']) {
      const [want, got] = await Promise.all([embedded.search(query), viaPostgres.search(query)]);
      expect({ query, relevant: got.relevant, ids: got.hits.slice(0, 5).map((h) => h.paper.id) }).toEqual({ query, relevant: want.relevant, ids: want.hits.slice(0, 5).map((h) => h.paper.id) });
    }
  });

  it('retrieval quality on the dev and paraphrase questions is within 0.02 of the embedded backend on every metric', async () => {
    const { viaPostgres } = searchOpened(opened, local.embedder);
    for (const file of [DEV_QUESTIONS_FILE, PARAPHRASE_QUESTIONS_FILE]) {
      const questions = loadEvalQuestions(file);
      const [want, got] = await Promise.all([evaluateRetrieval(local.makeSearcher(), questions, local.papers), evaluateRetrieval(viaPostgres, questions, papers)]);
      for (const metric of ['r1', 'r5', 'r10', 'mrr', 'allInTop10'] as const) expect(Math.abs(got[metric] - want[metric])).toBeLessThanOrEqual(0.02);
    }
  }, 60_000);

  it('a process opening the store and answering a search reads no vector and no paper list (start-up does not grow with the corpus)', async () => {
    const pool = createPaperPool(server.database());
    const tables = ['paperbot_paper_vectors', 'paperbot_paper_catalogue', 'paperbot_papers', 'paperbot_paper_names'];
    const rowsRead = async () => {
      await pool.query('SELECT pg_stat_force_next_flush()');
      const { rows } = await pool.query<{ relname: string; n: string }>(
        `SELECT relname, seq_tup_read + coalesce(idx_tup_fetch, 0) AS n FROM pg_stat_user_tables WHERE relname = ANY($1::text[]) ORDER BY relname`,
        [tables],
      );
      return Object.fromEntries(rows.map((row) => [row.relname, Number(row.n)]));
    };
    try {
      const before = await rowsRead();
      const again = await createPostgresPaperStore({ database: server.database(), embedder: local.embedder }).open();
      try {
        expect(await rowsRead()).toEqual(before);
        const wholeRead: string[] = [];
        const wholePapers = (ids: readonly string[]) => {
          wholeRead.push(...ids);
          return again.wholePapers(ids);
        };
        const { viaPostgres } = searchOpened({ ...again, wholePapers, catalogue: () => Promise.reject(new Error('a search reads no paper list')) }, local.embedder);
        const response = await viaPostgres.search('L2P prompt pool for continual learning', { k: 10 });
        expect(response.hits[0]?.paper.title).toBe(papers.find((p) => p.aliases?.includes('L2P'))?.title);
        // Whole papers for the hits only: the candidates (some hundred) are scored from their packed terms.
        expect(wholeRead.sort()).toEqual(response.hits.map((hit) => hit.paper.id).sort());
        const after = await rowsRead();
        // Its statements look papers up by key and id; no catalogue row.
        expect(after['paperbot_paper_catalogue']).toBe(before['paperbot_paper_catalogue']);
        expect(await again.catalogue()).toHaveLength(252);
      } finally {
        await again.close();
      }
    } finally {
      await pool.end();
    }
  });

  it('re-running an ingest with the same papers changes nothing', async () => {
    const pool = createPaperPool(server.database());
    try {
      const before = (await pool.query('SELECT generation FROM paperbot_paper_corpus')).rows[0];
      const summary = await ingestPostgresPapers({ pool, where: 'test', papers: loadTestCorpus(), embedder: local.embedder });
      expect(summary).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 252, rebuilt: false, total: 252 });
      expect((await pool.query('SELECT generation FROM paperbot_paper_corpus')).rows[0]).toEqual(before);
    } finally {
      await pool.end();
    }
  });
});
