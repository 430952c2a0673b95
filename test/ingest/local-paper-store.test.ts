import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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
