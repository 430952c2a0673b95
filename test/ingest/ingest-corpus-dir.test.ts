import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ingestCorpusDir } from '../../src/ingest/ingest-corpus-dir.js';
import { readIndexManifest } from '../../src/store/index-manifest.js';
import { openPaperIndex } from '../../src/store/open-paper-index.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');

describe('ingestCorpusDir', () => {
  it('ingests all corpus files, returns malformed records with file and line, records stamps, and removes papers of a deleted file', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'paperbot-ingest-dir-'));
    const corpusDir = path.join(root, 'corpus');
    const indexDir = path.join(root, 'index');
    mkdirSync(corpusDir);
    copyFileSync(path.join(fixtures, 'trending-sample.txt'), path.join(corpusDir, 'a.txt'));
    copyFileSync(path.join(fixtures, 'papers-malformed.jsonl'), path.join(corpusDir, 'b.jsonl'));
    const embedder = createFakeEmbedder({ dimensions: 16 });
    const first = await ingestCorpusDir({ corpusDir, indexDir, embedder });
    expect(first.summary).toMatchObject({ added: 5, skipped: 7, total: 5 });
    expect(first.skipped.map((s) => `${s.file}:${s.line}`)).toEqual(['b.jsonl:2', 'b.jsonl:4', 'b.jsonl:5', 'b.jsonl:6', 'b.jsonl:7', 'b.jsonl:8', 'b.jsonl:9']);
    expect(first.skipped[0]!.reason).toMatch(/^invalid JSON/);
    expect((await readIndexManifest(indexDir))!.corpus!.map((s) => s.name)).toEqual(['a.txt', 'b.jsonl']);

    rmSync(path.join(corpusDir, 'b.jsonl'));
    embedder.reset();
    const second = await ingestCorpusDir({ corpusDir, indexDir, embedder });
    expect(second.summary).toMatchObject({ added: 0, removed: 2, unchanged: 3, skipped: 0 });
    expect(embedder.calls).toBe(0);
    expect((await openPaperIndex({ indexDir, embedder })).papers.map((p) => p.source.file)).toEqual(['a.txt', 'a.txt', 'a.txt']);
  });
});
