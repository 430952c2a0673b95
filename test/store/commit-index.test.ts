import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalIndex } from 'vectra';
import { beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { EmbedderMismatchError, IndexMissingError } from '../../src/store/index-errors.js';
import { readIndexSnapshot } from '../../src/store/index-snapshot.js';
import { openPaperIndex } from '../../src/store/open-paper-index.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';
import { commit, embedder, makePapers } from './helpers/commit-papers.js';

let indexDir: string;
beforeEach(() => {
  indexDir = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-index-')), 'index');
});

describe('commitIndex + openPaperIndex', () => {
  it('round-trips papers and answers nearest-neighbour queries through vectra', async () => {
    const papers = makePapers(30);
    await commit(indexDir, papers);
    const opened = await openPaperIndex({ indexDir, embedder });
    expect(opened.papers).toEqual(papers);
    const [query] = await embedder.embed([`${papers[7]!.title} ${papers[7]!.abstract}`]);
    const matches = await opened.vectors.query(query!, 5);
    expect(matches).toHaveLength(5);
    expect(matches[0]!.id).toBe(papers[7]!.id);
    expect(matches[0]!.score).toBeCloseTo(1, 6);
    for (let i = 1; i < matches.length; i++) expect(matches[i]!.score).toBeLessThanOrEqual(matches[i - 1]!.score);
    expect(await opened.vectors.query(new Array(16).fill(0), 5)).toEqual([]);
    await expect(opened.vectors.query([1, 2, 3], 5)).rejects.toThrow(/dimensions/);
  });

  it('writes a generation that plain vectra LocalIndex (default storage) can load', async () => {
    const papers = makePapers(10);
    const manifest = await commit(indexDir, papers);
    const plain = new LocalIndex(path.join(indexDir, manifest.generation));
    const items = await plain.listItems();
    expect(items.map((item) => item.id).sort()).toEqual(papers.map((p) => p.id).sort());
    expect(items[0]!.vector).toHaveLength(16);
    expect(items[0]!.norm).toBeCloseTo(1, 6);
  });

  it('keeps the current and previous generation and removes older ones', async () => {
    let manifest = await commit(indexDir, makePapers(3, 'a'));
    manifest = await commit(indexDir, makePapers(4, 'b'), manifest);
    manifest = await commit(indexDir, makePapers(5, 'c'), manifest);
    expect(readdirSync(indexDir).filter((n) => n.startsWith('gen-')).sort()).toEqual(['gen-000002', 'gen-000003']);
    expect((await openPaperIndex({ indexDir })).papers).toHaveLength(5);
    const snapshot = await readIndexSnapshot(indexDir);
    expect(snapshot!.vectors.size).toBe(5);
    expect(snapshot!.manifest.contentHashes[makePapers(5, 'c')[0]!.id]).toBe(makePapers(5, 'c')[0]!.contentHash);
  });

  it('reports a missing index', async () => {
    await expect(openPaperIndex({ indexDir })).rejects.toBeInstanceOf(IndexMissingError);
    expect(await readIndexSnapshot(indexDir)).toBeUndefined();
  });

  it('refuses another embedder with a message saying how to fix it', async () => {
    await commit(indexDir, makePapers(3));
    const other = createFakeEmbedder({ dimensions: 16, id: 'other-embedder@2' });
    const error = await openPaperIndex({ indexDir, embedder: other }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedderMismatchError);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toContain('paperbot ingest --rebuild');
    expect((error as Error).message).toContain('other-embedder@2');
    const wider = createFakeEmbedder({ dimensions: 32, id: embedder.id });
    await expect(openPaperIndex({ indexDir, embedder: wider })).rejects.toBeInstanceOf(EmbedderMismatchError);
  });
});
