import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalIndex } from 'vectra';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildPaper } from '../../src/corpus/paper-identity.js';
import type { Paper } from '../../src/corpus/paper.js';
import { UserFacingError } from '../../src/errors.js';
import { EmbedderMismatchError, IndexCorruptError, IndexMissingError } from '../../src/store/index-errors.js';
import { chooseIndexWriter, commitIndex, openPaperIndex, papersFileText, readIndexSnapshot, STREAM_CHUNK_CHARS, type IndexManifest } from '../../src/store/paper-index.js';
import { acquireWriterLock } from '../../src/store/writer-lock.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';

const embedder = createFakeEmbedder({ dimensions: 16 });

function makePapers(n: number, tag = ''): Paper[] {
  return Array.from({ length: n }, (_, i) =>
    buildPaper({ title: `Paper ${i} about topic${i % 5}${tag}`, abstract: `Abstract ${i} discussing topic${i % 5} and method${i}.` }, { file: 'x.txt', line: 2 * i + 1 }),
  );
}

async function commit(
  indexDir: string,
  papers: Paper[],
  previous?: IndexManifest,
  options: { changed?: ReadonlySet<string>; vectraInsertBudget?: number } = {},
): Promise<IndexManifest> {
  const vectors = await embedder.embed(papers.map((p) => `${p.title} ${p.abstract}`));
  const byId = new Map(papers.map((p, i) => [p.id, vectors[i]!]));
  const vectorFor = (id: string) => byId.get(id)!;
  const lock = await acquireWriterLock(indexDir);
  try {
    return await commitIndex({
      indexDir,
      lock,
      previous,
      embedder,
      papers,
      vectors: options.changed ? { kind: 'update', vectorFor, changed: options.changed } : { kind: 'write', vectorFor },
      vectraInsertBudget: options.vectraInsertBudget,
    });
  } finally {
    await lock.release();
  }
}

interface StoredIndex {
  metadata_config: { indexed?: string[] };
  items: { id: string; metadata: Record<string, unknown>; vector: number[]; metadataFile?: string }[];
}

function readStoredIndex(indexDir: string, manifest: IndexManifest): StoredIndex {
  return JSON.parse(readFileSync(path.join(indexDir, manifest.generation, 'index.json'), 'utf8')) as StoredIndex;
}

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

describe('who writes index.json', () => {
  it('builds a new index through vectra: contentHash kept inline as an indexed key, no per-item files', async () => {
    const papers = makePapers(12);
    const manifest = await commit(indexDir, papers);
    const stored = readStoredIndex(indexDir, manifest);
    expect(stored.metadata_config.indexed).toEqual(['contentHash']);
    expect(stored.items.map((item) => [item.id, item.metadata.contentHash])).toEqual(papers.map((p) => [p.id, p.contentHash]));
    expect(stored.items.some((item) => item.metadataFile !== undefined)).toBe(false);
    expect(readdirSync(path.join(indexDir, manifest.generation)).sort()).toEqual(['index.json', 'papers.json']);
  });

  it('updates the previous generation through vectra: removed and changed items out, changed and new items appended', async () => {
    const first = makePapers(6);
    const v1 = await commit(indexDir, first);
    const changedPaper = { ...first[2]!, abstract: `${first[2]!.abstract} Revised.`, contentHash: `${first[2]!.contentHash}-v2` };
    const added = makePapers(1, ' added')[0]!;
    const next = [first[0]!, first[1]!, changedPaper, first[3]!, first[5]!, added]; // first[4] removed
    const v2 = await commit(indexDir, next, v1, { changed: new Set([changedPaper.id, added.id]) });

    const stored = readStoredIndex(indexDir, v2);
    expect(stored.items.map((item) => item.id)).toEqual([first[0]!.id, first[1]!.id, first[3]!.id, first[5]!.id, changedPaper.id, added.id]);
    expect(stored.items.find((item) => item.id === changedPaper.id)!.metadata.contentHash).toBe(changedPaper.contentHash);
    // Unchanged items keep the previous generation's stored vectors; the previous generation is untouched.
    const old = readStoredIndex(indexDir, v1);
    expect(stored.items[0]!.vector).toEqual(old.items[0]!.vector);
    expect(old.items.map((item) => item.id)).toEqual(first.map((p) => p.id));

    const opened = await openPaperIndex({ indexDir, embedder });
    const [query] = await embedder.embed([`${changedPaper.title} ${changedPaper.abstract}`]);
    expect((await opened.vectors.query(query!, 1))[0]!.id).toBe(changedPaper.id);
    const plain = new LocalIndex(path.join(indexDir, v2.generation));
    expect((await plain.getIndexStats()).items).toBe(6);
  });

  it('streams index.json itself, in the same vectra format, when vectra inserts would exceed the budget', async () => {
    const papers = makePapers(8);
    const viaVectra = readStoredIndex(indexDir, await commit(indexDir, papers));
    const otherDir = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-index-')), 'index');
    const manifest = await commit(otherDir, papers, undefined, { vectraInsertBudget: 0 });
    const streamed = readStoredIndex(otherDir, manifest);
    expect(streamed).toEqual(viaVectra);
    const plain = new LocalIndex(path.join(otherDir, manifest.generation));
    const [query] = await embedder.embed([`${papers[5]!.title} ${papers[5]!.abstract}`]);
    expect((await plain.queryItems(query!, '', 1))[0]!.item.id).toBe(papers[5]!.id);
  });

  it('streams files larger than one chunk with the same content, reporting progress up to the total', async () => {
    const papers = makePapers(700);
    const viaVectra = readStoredIndex(indexDir, await commit(indexDir, papers));
    const vectors = await embedder.embed(papers.map((p) => `${p.title} ${p.abstract}`));
    const byId = new Map(papers.map((p, i) => [p.id, vectors[i]!]));
    const otherDir = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-index-')), 'index');
    const progress: number[] = [];
    const lock = await acquireWriterLock(otherDir);
    let manifest: IndexManifest;
    try {
      manifest = await commitIndex({
        indexDir: otherDir,
        lock,
        previous: undefined,
        embedder,
        papers,
        vectors: { kind: 'write', vectorFor: (id) => byId.get(id)! },
        lexical: { fingerprint: 'f', json: () => ['{"a":', '[1,2]', '}'] },
        vectraInsertBudget: 0,
        onWriteProgress: (done, total) => {
          expect(total).toBe(papers.length);
          progress.push(done);
        },
      });
    } finally {
      await lock.release();
    }
    const generationDir = path.join(otherDir, manifest.generation);
    expect(readFileSync(path.join(generationDir, 'index.json'), 'utf8').length).toBeGreaterThan(2 * STREAM_CHUNK_CHARS);
    expect(readStoredIndex(otherDir, manifest)).toEqual(viaVectra);
    const papersJson = readFileSync(path.join(generationDir, 'papers.json'), 'utf8');
    expect(papersJson.length).toBeGreaterThan(2 * STREAM_CHUNK_CHARS);
    expect(papersJson).toBe(JSON.stringify(papers));
    expect(papersFileText(papers)).toBe(papersJson);
    expect(readFileSync(path.join(generationDir, 'lexical.json'), 'utf8')).toBe('{"a":[1,2]}');
    expect(progress.at(-1)).toBe(papers.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.length).toBeGreaterThan(0);
  });

  it('chooses vectra unless its duplicate-id scans would exceed the budget', () => {
    const vectorFor = () => [0];
    const update = (n: number) => ({ kind: 'update' as const, vectorFor, changed: new Set(Array.from({ length: n }, (_, i) => `p${i}`)) });
    expect(chooseIndexWriter({ kind: 'reuse' }, 100_000, true)).toBe('reuse');
    expect(chooseIndexWriter({ kind: 'write', vectorFor }, 252, false)).toBe('vectra-build');
    expect(chooseIndexWriter({ kind: 'write', vectorFor }, 100_000, false)).toBe('stream');
    expect(chooseIndexWriter(update(1_000), 100_000, true)).toBe('vectra-update');
    expect(chooseIndexWriter(update(50_000), 100_000, true)).toBe('stream');
    expect(chooseIndexWriter(update(10), 100_000, false)).toBe('stream');
    expect(chooseIndexWriter(update(10), 252, true, 0)).toBe('stream');
  });
});

describe('corrupt index detection', () => {
  async function corrupt(file: 'index.json' | 'papers.json' | 'manifest.json', damage: (filePath: string) => void): Promise<unknown> {
    const manifest = await commit(indexDir, makePapers(20));
    const filePath = file === 'manifest.json' ? path.join(indexDir, file) : path.join(indexDir, manifest.generation, file);
    damage(filePath);
    return openPaperIndex({ indexDir, embedder }).catch((e: unknown) => e);
  }

  it('detects a 0-byte index.json', async () => {
    const error = await corrupt('index.json', (f) => truncateSync(f, 0));
    expect(error).toBeInstanceOf(IndexCorruptError);
    expect((error as Error).message).toMatch(/index\.json/);
    await expect(readIndexSnapshot(indexDir)).rejects.toBeInstanceOf(IndexCorruptError);
  });

  it('detects a truncated index.json', async () => {
    const error = await corrupt('index.json', (f) => truncateSync(f, Math.floor(readFileSync(f).length / 2)));
    expect(error).toBeInstanceOf(IndexCorruptError);
  });

  it('detects vectors that do not match the papers', async () => {
    const error = await corrupt('index.json', (f) => {
      const data = JSON.parse(readFileSync(f, 'utf8')) as { items: unknown[] };
      data.items.pop();
      writeFileSync(f, JSON.stringify(data));
    });
    expect(error).toBeInstanceOf(IndexCorruptError);
    expect((error as Error).message).toMatch(/19 vectors for 20 papers/);
  });

  it('detects a truncated papers.json and a 0-byte manifest', async () => {
    expect(await corrupt('papers.json', (f) => truncateSync(f, 100))).toBeInstanceOf(IndexCorruptError);
    indexDir = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-index-')), 'index');
    expect(await corrupt('manifest.json', (f) => truncateSync(f, 0))).toBeInstanceOf(IndexCorruptError);
  });

  it('detects a deleted generation folder', async () => {
    const manifest = await commit(indexDir, makePapers(5));
    const { rmSync } = await import('node:fs');
    rmSync(path.join(indexDir, manifest.generation), { recursive: true });
    await expect(openPaperIndex({ indexDir })).rejects.toBeInstanceOf(IndexCorruptError);
  });
});
