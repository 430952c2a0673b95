import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestPapers } from '../../src/ingest/ingest-papers.js';
import { openOrBuildIndex } from '../../src/ingest/open-or-build-index.js';
import { lexicalFingerprint, loadLexicalIndex } from '../../src/ingest/stored-lexical-index.js';
import { LexicalIndex } from '../../src/retrieval/lexical-index.js';
import { LEXICAL_FILE } from '../../src/store/index-layout.js';
import { readIndexManifest } from '../../src/store/index-manifest.js';
import { openPaperIndex } from '../../src/store/open-paper-index.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';
import { loadTestCorpus } from '../support/load-test-corpus.js';

const papers = loadTestCorpus().slice(0, 60);
const queries = ['continual learning prompts', 'diffusion model video generation', 'reward model alignment', 'speech recognition'];

function dirs() {
  const root = mkdtempSync(path.join(tmpdir(), 'paperbot-lexical-'));
  return { root, indexDir: path.join(root, 'index') };
}

describe('stored lexical index', () => {
  it('is written at ingest and loaded at open, answering exactly like a freshly built one', async () => {
    const { indexDir } = dirs();
    const embedder = createFakeEmbedder({ dimensions: 16 });
    await ingestPapers({ indexDir, papers, embedder });
    const manifest = (await readIndexManifest(indexDir))!;
    expect(manifest.lexical).toEqual({ fingerprint: lexicalFingerprint() });

    const opened = await openPaperIndex({ indexDir, embedder });
    expect(opened.lexical?.json).toBe(readFileSync(path.join(indexDir, manifest.generation, LEXICAL_FILE), 'utf8'));
    const { index, loaded } = loadLexicalIndex(opened.papers, opened.lexical);
    expect(loaded).toBe(true);
    const built = LexicalIndex.build(papers);
    for (const query of queries) expect(index.search(query, 10)).toEqual(built.search(query, 10));
  });

  it('is rewritten when the papers change, so it never serves removed papers', async () => {
    const { indexDir } = dirs();
    const embedder = createFakeEmbedder({ dimensions: 16 });
    await ingestPapers({ indexDir, papers, embedder });
    const fewer = papers.slice(10);
    await ingestPapers({ indexDir, papers: fewer, embedder });
    const opened = await openPaperIndex({ indexDir, embedder });
    const { index, loaded } = loadLexicalIndex(opened.papers, opened.lexical);
    expect(loaded).toBe(true);
    expect(index.size).toBe(50);
    expect(index.has(papers[0]!.id)).toBe(false);
  });

  it('is rebuilt from the papers when its fingerprint differs, it is unreadable, or it holds other papers', () => {
    const json = LexicalIndex.build(papers).toJSON();
    const good = loadLexicalIndex(papers, { json, fingerprint: lexicalFingerprint() });
    expect(good.loaded).toBe(true);
    expect(loadLexicalIndex(papers, { json, fingerprint: 'made-by-older-code' }).loaded).toBe(false);
    expect(loadLexicalIndex(papers, { json: '{"format":"paperbot-lex', fingerprint: lexicalFingerprint() }).loaded).toBe(false);
    const other = loadLexicalIndex(papers.slice(1), { json, fingerprint: lexicalFingerprint() });
    expect(other.loaded).toBe(false);
    expect(other.index.size).toBe(59);
    expect(loadLexicalIndex(papers, undefined)).toMatchObject({ loaded: false });
  });

  it('is used by openOrBuildIndex, which falls back to building it when lexical.json is damaged', async () => {
    const { root, indexDir } = dirs();
    const corpusDir = path.join(root, 'corpus');
    const bundled = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'data', 'corpus', 'hf-trending-papers.txt');
    const embedder = createFakeEmbedder({ dimensions: 16 });
    const first = await openOrBuildIndex({ corpusDir, indexDir, embedder, bundledCorpusFile: bundled });
    expect(first.lexicalLoaded).toBe(true);
    const second = await openOrBuildIndex({ corpusDir, indexDir, embedder });
    expect(second.summary).toBeUndefined();
    expect(second.lexicalLoaded).toBe(true);
    expect(second.lexical.search('continual learning', 5)).toEqual(LexicalIndex.build(second.papers).search('continual learning', 5));

    const manifest = (await readIndexManifest(indexDir))!;
    writeFileSync(path.join(indexDir, manifest.generation, LEXICAL_FILE), '{"broken": ');
    const third = await openOrBuildIndex({ corpusDir, indexDir, embedder });
    expect(third.lexicalLoaded).toBe(false);
    expect(third.lexical.search('continual learning', 5)).toEqual(second.lexical.search('continual learning', 5));
  });
});
