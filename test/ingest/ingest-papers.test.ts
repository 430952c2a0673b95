import { mkdtempSync, readdirSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPaper } from '../../src/corpus/paper-identity.js';
import { ingestPapers, paperEmbeddingText, type IngestProgress } from '../../src/ingest/ingest-papers.js';
import { EmbedderMismatchError, IndexCorruptError } from '../../src/store/index-errors.js';
import { readIndexManifest } from '../../src/store/index-manifest.js';
import { openPaperIndex } from '../../src/store/open-paper-index.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';
import { makeSyntheticPapers } from './helpers/synthetic-papers.js';

const newIndexDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-ingest-')), 'index');

describe('ingestPapers', () => {
  it('embeds everything on first ingest and nothing on an identical second ingest', async () => {
    const indexDir = newIndexDir();
    const embedder = createFakeEmbedder({ dimensions: 24 });
    const papers = makeSyntheticPapers(40);
    const first = await ingestPapers({ indexDir, papers, embedder, batchSize: 16 });
    expect(first).toEqual({ added: 40, updated: 0, unchanged: 0, removed: 0, skipped: 0, rebuilt: true, total: 40 });
    expect(embedder.calls).toBe(3);
    expect(embedder.texts).toEqual(papers.map(paperEmbeddingText));
    const generation = (await readIndexManifest(indexDir))!.generation;

    embedder.reset();
    const second = await ingestPapers({ indexDir, papers, embedder });
    expect(second).toEqual({ added: 0, updated: 0, unchanged: 40, removed: 0, skipped: 0, rebuilt: false, total: 40 });
    expect(embedder.calls).toBe(0);
    expect((await readIndexManifest(indexDir))!.generation).toBe(generation);
  });

  it('re-embeds only a paper whose abstract changed, keeping its id, and handles additions and removals', async () => {
    const indexDir = newIndexDir();
    const embedder = createFakeEmbedder({ dimensions: 24 });
    const papers = makeSyntheticPapers(30);
    await ingestPapers({ indexDir, papers, embedder });

    const old = papers[4]!;
    const changed = buildPaper({ title: old.title, abstract: `${old.abstract} We add a new robotics experiment.` }, old.source);
    expect(changed.id).toBe(old.id);
    const extra = makeSyntheticPapers(2, { tag: 'extra ' });
    const next = [...papers.slice(0, 4), changed, ...papers.slice(5, 28), ...extra];

    embedder.reset();
    const progress: IngestProgress[] = [];
    const summary = await ingestPapers({ indexDir, papers: next, embedder, onProgress: (p) => progress.push(p) });
    expect(summary).toEqual({ added: 2, updated: 1, unchanged: 27, removed: 2, skipped: 0, rebuilt: false, total: 30 });
    expect(embedder.texts).toEqual([paperEmbeddingText(changed), ...extra.map(paperEmbeddingText)]);

    const embedding = progress.filter((p) => p.phase === 'embedding');
    expect(embedding.at(-1)).toEqual({ phase: 'embedding', done: 3, total: 3 });
    const writing = progress.filter((p) => p.phase === 'writing');
    expect(writing.at(-1)).toEqual({ phase: 'writing', done: 30, total: 30 });
    for (let i = 1; i < progress.length; i++) {
      if (progress[i]!.phase === progress[i - 1]!.phase) expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done);
    }

    const opened = await openPaperIndex({ indexDir, embedder });
    expect(opened.papers.map((p) => p.id)).toEqual(next.map((p) => p.id));
    expect(opened.papers[4]!.abstract).toBe(changed.abstract);
    const [query] = await embedder.embed([paperEmbeddingText(changed)]);
    const [best] = await opened.vectors.query(query!, 1);
    expect(best).toEqual({ id: changed.id, score: expect.closeTo(1, 6) as unknown as number });
    expect(opened.papers.some((p) => p.id === papers[29]!.id)).toBe(false);
  });

  it('rewrites the catalog without re-embedding when only paper order or source lines changed', async () => {
    const indexDir = newIndexDir();
    const embedder = createFakeEmbedder({ dimensions: 8 });
    const papers = makeSyntheticPapers(10);
    await ingestPapers({ indexDir, papers, embedder });
    embedder.reset();
    const reordered = [...papers].reverse();
    const summary = await ingestPapers({ indexDir, papers: reordered, embedder });
    expect(summary.unchanged).toBe(10);
    expect(embedder.calls).toBe(0);
    expect((await openPaperIndex({ indexDir })).papers.map((p) => p.id)).toEqual(reordered.map((p) => p.id));
  });

  it('skips later duplicates of an id', async () => {
    const indexDir = newIndexDir();
    const papers = makeSyntheticPapers(5);
    const summary = await ingestPapers({ indexDir, papers: [...papers, papers[2]!], embedder: createFakeEmbedder() });
    expect(summary.skipped).toBe(1);
    expect(summary.total).toBe(5);
  });

  it('refuses an index built by another embedder unless rebuilding', async () => {
    const indexDir = newIndexDir();
    const papers = makeSyntheticPapers(6);
    await ingestPapers({ indexDir, papers, embedder: createFakeEmbedder({ dimensions: 16 }) });
    const other = createFakeEmbedder({ dimensions: 32, id: 'other@1' });
    const error = await ingestPapers({ indexDir, papers, embedder: other }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedderMismatchError);
    expect((error as Error).message).toMatch(/paperbot ingest --rebuild/);
    expect(other.calls).toBe(0);

    const rebuilt = await ingestPapers({ indexDir, papers, embedder: other, rebuild: true });
    expect(rebuilt).toMatchObject({ added: 6, rebuilt: true });
    expect((await openPaperIndex({ indexDir, embedder: other })).papers).toHaveLength(6);
  });

  it('reports an unreadable index (typed error) and repairs it with rebuild', async () => {
    const indexDir = newIndexDir();
    const embedder = createFakeEmbedder();
    const papers = makeSyntheticPapers(6);
    await ingestPapers({ indexDir, papers, embedder });
    const generation = (await readIndexManifest(indexDir))!.generation;
    truncateSync(path.join(indexDir, generation, 'index.json'), 0);
    await expect(ingestPapers({ indexDir, papers, embedder })).rejects.toBeInstanceOf(IndexCorruptError);
    const summary = await ingestPapers({ indexDir, papers, embedder, rebuild: true });
    expect(summary.added).toBe(6);
    expect((await openPaperIndex({ indexDir, embedder })).papers).toHaveLength(6);
    // The lock was released after the failed attempt too.
    expect(readdirSync(indexDir)).not.toContain('writer.lock');
  });

  it('rejects an embedder that returns vectors of the wrong size, leaving the index untouched', async () => {
    const indexDir = newIndexDir();
    const good = createFakeEmbedder({ dimensions: 8 });
    await ingestPapers({ indexDir, papers: makeSyntheticPapers(3), embedder: good });
    const liar = { id: good.id, dimensions: 8, embed: async (texts: readonly string[]) => texts.map(() => [1, 2, 3]) };
    await expect(ingestPapers({ indexDir, papers: makeSyntheticPapers(5), embedder: liar })).rejects.toThrow(/3-d vector/);
    expect((await openPaperIndex({ indexDir })).papers).toHaveLength(3);
  });

  it('builds an empty index from no papers', async () => {
    const indexDir = newIndexDir();
    const embedder = createFakeEmbedder();
    await ingestPapers({ indexDir, papers: [], embedder });
    const opened = await openPaperIndex({ indexDir, embedder });
    expect(opened.papers).toEqual([]);
    const [query] = await embedder.embed(['anything at all']);
    expect(await opened.vectors.query(query!, 3)).toEqual([]);
  });
});
