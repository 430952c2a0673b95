import { appendFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openOrBuildIndex } from '../../src/ingest/open-or-build-index.js';
import { paperEmbeddingText } from '../../src/ingest/ingest-papers.js';
import { EmbedderMismatchError } from '../../src/store/index-errors.js';
import { readIndexManifest } from '../../src/store/index-manifest.js';
import { acquireWriterLock } from '../../src/store/writer-lock.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundled = path.join(here, '..', '..', 'data', 'corpus', 'hf-trending-papers.txt');

function dirsIn(root: string) {
  return { corpusDir: path.join(root, 'corpus'), indexDir: path.join(root, 'index') };
}

function setup() {
  return dirsIn(mkdtempSync(path.join(tmpdir(), 'paperbot-open-')));
}

/** The bundled corpus and the index of it that openOrBuildIndex builds on first use with the 16-dimension fake embedder. */
let builtRoot: string;
beforeAll(async () => {
  builtRoot = mkdtempSync(path.join(tmpdir(), 'paperbot-open-built-'));
  await openOrBuildIndex({ ...dirsIn(builtRoot), embedder: createFakeEmbedder({ dimensions: 16 }), bundledCorpusFile: bundled });
});

/** A copy of that first-use state (timestamps kept, so the index is up to date with its corpus): built once per file, not per test. */
async function setupBuilt() {
  const root = mkdtempSync(path.join(tmpdir(), 'paperbot-open-'));
  await cp(builtRoot, root, { recursive: true, preserveTimestamps: true });
  return dirsIn(root);
}

describe('openOrBuildIndex', () => {
  it('builds the index on first use, then opens it without embedding anything', async () => {
    const dirs = setup();
    const embedder = createFakeEmbedder({ dimensions: 32 });
    const warnings: string[] = [];
    const first = await openOrBuildIndex({ ...dirs, embedder, bundledCorpusFile: bundled, onWarning: (w) => warnings.push(w) });
    expect(first.papers).toHaveLength(252);
    expect(first.summary).toMatchObject({ added: 252, rebuilt: true, skipped: 0 });
    expect(warnings).toEqual([expect.stringMatching(/seeded it with hf-trending-papers\.txt/) as unknown as string]);
    expect((await readIndexManifest(dirs.indexDir))!.corpus).toEqual([
      expect.objectContaining({ name: 'hf-trending-papers.txt', size: readFileSync(bundled).length }) as unknown as object,
    ]);

    embedder.reset();
    const second = await openOrBuildIndex({ ...dirs, embedder, bundledCorpusFile: bundled });
    expect(second.summary).toBeUndefined();
    expect(embedder.calls).toBe(0);
    expect(second.papers.map((p) => p.id)).toEqual(first.papers.map((p) => p.id));
    const target = second.papers[100]!;
    const [query] = await embedder.embed([paperEmbeddingText(target)]);
    expect((await second.vectors.query(query!, 1))[0]!.id).toBe(target.id);
  });

  it('brings the index up to date when a corpus file changed, embedding only the new paper', async () => {
    const dirs = await setupBuilt();
    const embedder = createFakeEmbedder({ dimensions: 16 });
    const file = path.join(dirs.corpusDir, 'hf-trending-papers.txt');
    appendFileSync(
      file,
      '\nA Freshly Added Paper on Retrieval\nWe add a paper to the corpus file. It should be embedded alone. Everything else stays as it was before this change.\n',
    );
    embedder.reset();
    const warnings: string[] = [];
    const updated = await openOrBuildIndex({ ...dirs, embedder, onWarning: (w) => warnings.push(w) });
    expect(updated.summary).toMatchObject({ added: 1, updated: 0, unchanged: 252, removed: 0, rebuilt: false });
    expect(embedder.texts).toHaveLength(1);
    expect(updated.papers.at(-1)!.title).toBe('A Freshly Added Paper on Retrieval');
    expect(warnings).toEqual([]);
  });

  it('warns about malformed corpus records it skipped', async () => {
    const dirs = await setupBuilt();
    const embedder = createFakeEmbedder({ dimensions: 16 });
    writeFileSync(path.join(dirs.corpusDir, 'extra.jsonl'), '{"title": "only a title"}\n');
    const warnings: string[] = [];
    const result = await openOrBuildIndex({ ...dirs, embedder, onWarning: (w) => warnings.push(w) });
    expect(result.skipped).toEqual([{ file: 'extra.jsonl', line: 1, reason: 'missing field "abstract"' }]);
    expect(warnings.join('\n')).toMatch(/Skipped 1 corpus record.*extra\.jsonl:1/);
  });

  for (const [name, damage] of [
    ['a 0-byte index.json', (f: string) => truncateSync(f, 0)],
    ['a truncated index.json', (f: string) => truncateSync(f, Math.floor(readFileSync(f).length * 0.6))],
  ] as const) {
    it(`rebuilds ${name} from the corpus with a warning`, async () => {
      const dirs = await setupBuilt();
      const embedder = createFakeEmbedder({ dimensions: 16 });
      const generation = (await readIndexManifest(dirs.indexDir))!.generation;
      damage(path.join(dirs.indexDir, generation, 'index.json'));
      embedder.reset();
      const warnings: string[] = [];
      const result = await openOrBuildIndex({ ...dirs, embedder, onWarning: (w) => warnings.push(w) });
      expect(warnings).toEqual([expect.stringMatching(/unreadable.*index\.json.*rebuilding it from the corpus/) as unknown as string]);
      expect(result.summary).toMatchObject({ added: 252, rebuilt: true });
      expect(result.papers).toHaveLength(252);
      expect(embedder.texts).toHaveLength(252);
    });
  }

  it('rebuilds a 0-byte manifest with a warning', async () => {
    const dirs = await setupBuilt();
    const embedder = createFakeEmbedder({ dimensions: 16 });
    truncateSync(path.join(dirs.indexDir, 'manifest.json'), 0);
    const warnings: string[] = [];
    const result = await openOrBuildIndex({ ...dirs, embedder, onWarning: (w) => warnings.push(w) });
    expect(warnings[0]).toMatch(/manifest\.json is empty/);
    expect(result.papers).toHaveLength(252);
  });

  it('refuses to use an index built by another embedder', async () => {
    const dirs = await setupBuilt();
    const other = createFakeEmbedder({ dimensions: 16, id: 'another-model' });
    await expect(openOrBuildIndex({ ...dirs, embedder: other })).rejects.toBeInstanceOf(EmbedderMismatchError);
    expect(other.calls).toBe(0);
  });

  it('fails at once, naming the folder, when the data folder is on a file system that refuses folders (/proc)', async () => {
    const embedder = createFakeEmbedder({ dimensions: 16 });
    const dirs = { corpusDir: '/proc/paperbot-data/corpus', indexDir: '/proc/paperbot-data/index' };
    await expect(openOrBuildIndex({ ...dirs, embedder, bundledCorpusFile: bundled })).rejects.toMatchObject({ code: 'ENOENT', syscall: 'mkdir', path: '/proc/paperbot-data' });
    expect(embedder.calls).toBe(0);
  });

  it('waits for another ingest holding the lock, saying so, then opens the index it left', async () => {
    const dirs = setup();
    const embedder = createFakeEmbedder({ dimensions: 16 });
    const lock = await acquireWriterLock(dirs.indexDir);
    const warnings: string[] = [];
    const result = await openOrBuildIndex({
      ...dirs,
      embedder,
      bundledCorpusFile: bundled,
      onWarning: (warning) => {
        warnings.push(warning);
        if (/waiting for it to finish/.test(warning)) void lock.release();
      },
    });
    expect(warnings[0]).toBe(`Another ingest (pid ${process.pid}) is updating the index in ${dirs.indexDir}; waiting for it to finish.`);
    expect(result.papers).toHaveLength(252);
  });
});
