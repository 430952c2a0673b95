import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ingestCorpusDir } from '../../src/ingest/ingest-corpus-dir.js';
import { createLocalPaperStore } from '../../src/ingest/local-paper-store.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';

const bundled = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'corpus', 'hf-trending-papers.txt');

describe('createLocalPaperStore', () => {
  it('serves the papers, vectors and lexical index, and a version that changes with the papers', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'paperbot-store-'));
    const corpusDir = path.join(root, 'corpus');
    const embedder = createFakeEmbedder({ dimensions: 16 });
    const store = createLocalPaperStore({ corpusDir, indexDir: path.join(root, 'index'), embedder, bundledCorpusFile: bundled });

    const first = await store.open();
    expect(first.papers).toHaveLength(252);
    expect(first.info).toEqual({
      backend: 'local',
      embedder: { id: embedder.id, dimensions: 16 },
      paperCount: 252,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown as string,
      version: 'gen-000001',
    });
    expect(first.lexical.search('video masked autoencoders', 1)[0]!.id).toBe('videomae-v2-scaling-video-masked-9ecaf13c');
    const [query] = await embedder.embed([`${first.papers[5]!.title}\n\n${first.papers[5]!.abstract}`]);
    expect((await first.vectors.query(query!, 1))[0]!.id).toBe(first.papers[5]!.id);

    expect((await store.open()).info.version).toBe('gen-000001');
    writeFileSync(path.join(corpusDir, 'more.jsonl'), `${JSON.stringify({ title: 'One More Paper', abstract: 'It is new. It changes the version.' })}\n`);
    const after = await store.open();
    expect(after.info).toMatchObject({ paperCount: 253, version: 'gen-000002' });
  });
});

describe('createLocalPaperStore: catching up with another writer', () => {
  it('currentVersion follows the manifest a later ingest commits; reopen reads that generation without building', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'paperbot-store-'));
    const corpusDir = path.join(root, 'corpus');
    const indexDir = path.join(root, 'index');
    const embedder = createFakeEmbedder({ dimensions: 16 });
    const store = createLocalPaperStore({ corpusDir, indexDir, embedder, bundledCorpusFile: bundled });
    expect(await store.currentVersion!()).toBeUndefined();
    await store.open();
    expect(await store.currentVersion!()).toBe('gen-000001');
    expect(await store.currentVersion!()).toBe('gen-000001');

    // Only a file in the corpus folder: no new generation yet, reopen still serves the old one.
    writeFileSync(path.join(corpusDir, 'more.jsonl'), `${JSON.stringify({ title: 'Quokka Lattice Transformers', abstract: 'It is new. It changes the version.' })}\n`);
    expect((await store.reopen!()).papers).toHaveLength(252);
    expect(await store.currentVersion!()).toBe('gen-000001');

    // Another writer (here: ingestCorpusDir, as `paperbot ingest` runs it) commits a generation.
    await ingestCorpusDir({ corpusDir, indexDir, embedder });
    expect(await store.currentVersion!()).toBe('gen-000002');
    const reopened = await store.reopen!();
    expect(reopened.info).toMatchObject({ paperCount: 253, version: 'gen-000002' });
    expect(reopened.lexical.search('quokka lattice', 1)[0]!.id).toBe(reopened.papers.find((p) => p.title === 'Quokka Lattice Transformers')!.id);
  });
});
