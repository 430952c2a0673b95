import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalIndex } from 'vectra';
import { beforeEach, describe, expect, it } from 'vitest';
import { commitIndex, papersFileText } from '../../src/store/commit-index.js';
import type { IndexManifest } from '../../src/store/index-manifest.js';
import { openPaperIndex } from '../../src/store/open-paper-index.js';
import { STREAM_CHUNK_CHARS } from '../../src/store/stream-json.js';
import { chooseIndexWriter } from '../../src/store/write-index-vectors.js';
import { acquireWriterLock } from '../../src/store/writer-lock.js';
import { commit, embedder, makePapers, readStoredIndex } from './helpers/commit-papers.js';

let indexDir: string;
beforeEach(() => {
  indexDir = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-index-')), 'index');
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
