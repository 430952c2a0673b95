import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORPUS_ORDER_FILE } from '../../src/ingest/corpus-order.js';
import { ingestCorpusDir } from '../../src/ingest/ingest-corpus-dir.js';
import { readIndexManifest } from '../../src/store/index-manifest.js';
import { openPaperIndex } from '../../src/store/open-paper-index.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');
const TINYBERT = 'TinyBERT Revisited: Progressive Distillation for Transformers';

/** A data folder whose corpus holds trending-sample.txt as `name`. */
function setup(name = 'sample.txt') {
  const root = mkdtempSync(path.join(tmpdir(), 'paperbot-ingest-dir-'));
  const corpusDir = path.join(root, 'corpus');
  mkdirSync(corpusDir);
  copyFileSync(path.join(fixtures, 'trending-sample.txt'), path.join(corpusDir, name));
  return { root, corpusDir, indexDir: path.join(root, 'index') };
}

/** A JSON Lines file (outside the corpus) repeating the TinyBERT title with another abstract. */
function repeatFile(name: string, abstract: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-repeat-')), name);
  writeFileSync(file, `${JSON.stringify({ title: TINYBERT, abstract })}\n`);
  return file;
}

async function abstractOf(indexDir: string, title: string): Promise<string | undefined> {
  return (await openPaperIndex({ indexDir })).papers.find((paper) => paper.title === title)?.abstract;
}

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

describe('ingestCorpusDir with papers repeated across files', () => {
  it('keeps the paper of the file added first, also against a file copied into the folder by hand and on --rebuild', async () => {
    const { corpusDir, indexDir } = setup('zz-sample.txt');
    const embedder = createFakeEmbedder({ dimensions: 16 });
    await ingestCorpusDir({ corpusDir, indexDir, embedder });
    const original = await abstractOf(indexDir, TINYBERT);
    expect(JSON.parse(readFileSync(path.join(corpusDir, CORPUS_ORDER_FILE), 'utf8'))).toEqual({ version: 1, files: ['zz-sample.txt'] });

    copyFileSync(repeatFile('aa-hand.jsonl', 'Copied in by hand. It must not win.'), path.join(corpusDir, 'aa-hand.jsonl'));
    const byHand = await ingestCorpusDir({ corpusDir, indexDir, embedder });
    expect(byHand.summary).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
    expect(byHand.skipped).toEqual([
      { file: 'aa-hand.jsonl', line: 1, reason: expect.stringMatching(/^duplicate of "TinyBERT Revisited.*" from zz-sample\.txt:3, a file added to the corpus earlier/) as unknown as string },
    ]);
    expect(await abstractOf(indexDir, TINYBERT)).toBe(original);

    const rebuilt = await ingestCorpusDir({ corpusDir, indexDir, embedder, rebuild: true });
    expect(rebuilt.summary).toMatchObject({ added: 3, rebuilt: true });
    expect(await abstractOf(indexDir, TINYBERT)).toBe(original);
  });

  it('between files added together, keeps the one given first; with replace, the added file wins', async () => {
    const { corpusDir, indexDir } = setup();
    const embedder = createFakeEmbedder({ dimensions: 16 });
    const first = repeatFile('b-first.jsonl', 'Given first. It wins.');
    const second = repeatFile('a-second.jsonl', 'Given second. It loses.');
    const added: string[] = [];
    await ingestCorpusDir({ corpusDir, indexDir, embedder, add: { files: [first, second] }, onFilesAdded: (files) => added.push(...files.map((f) => f.name)) });
    expect(added).toEqual(['b-first.jsonl', 'a-second.jsonl']);
    expect(JSON.parse(readFileSync(path.join(corpusDir, CORPUS_ORDER_FILE), 'utf8')).files).toEqual(['sample.txt', 'b-first.jsonl', 'a-second.jsonl']);
    expect(await abstractOf(indexDir, TINYBERT)).toMatch(/^We study how progressive distillation/);

    const replaced = await ingestCorpusDir({ corpusDir, indexDir, embedder, add: { files: [second], replace: true } });
    expect(replaced.summary).toMatchObject({ added: 0, updated: 1, unchanged: 2 });
    expect(await abstractOf(indexDir, TINYBERT)).toBe('Given second. It loses.');
    expect(replaced.skipped.map((s) => `${s.file}:${s.line}`)).toEqual(['sample.txt:3', 'b-first.jsonl:1']);
  });

  it('rewrites an unreadable order file with a warning, using file-name order', async () => {
    const { corpusDir, indexDir } = setup('b-sample.txt');
    copyFileSync(repeatFile('a-other.jsonl', 'The name sorts first. It wins here.'), path.join(corpusDir, 'a-other.jsonl'));
    writeFileSync(path.join(corpusDir, CORPUS_ORDER_FILE), '{"version": 1, "files": ["b-sam');
    const warnings: string[] = [];
    await ingestCorpusDir({ corpusDir, indexDir, embedder: createFakeEmbedder({ dimensions: 16 }), onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([expect.stringMatching(/\.corpus-order\.json in .* is unreadable; rewriting it/) as unknown as string]);
    expect(JSON.parse(readFileSync(path.join(corpusDir, CORPUS_ORDER_FILE), 'utf8')).files).toEqual(['a-other.jsonl', 'b-sample.txt']);
    expect(await abstractOf(indexDir, TINYBERT)).toBe('The name sorts first. It wins here.');
  });

  it('seeds an empty corpus folder under the lock, and records the seed first', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'paperbot-ingest-dir-'));
    const corpusDir = path.join(root, 'corpus');
    const warnings: string[] = [];
    const result = await ingestCorpusDir({
      corpusDir,
      indexDir: path.join(root, 'index'),
      embedder: createFakeEmbedder({ dimensions: 16 }),
      bundledCorpusFile: path.join(fixtures, 'trending-sample.txt'),
      onWarning: (w) => warnings.push(w),
    });
    expect(result.summary).toMatchObject({ added: 3 });
    expect(warnings).toEqual([expect.stringMatching(/was empty; seeded it with trending-sample\.txt/) as unknown as string]);
    expect(existsSync(path.join(corpusDir, CORPUS_ORDER_FILE))).toBe(true);
  });

  it('reports a missing corpus folder as such, writing nothing', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'paperbot-ingest-dir-'));
    const corpusDir = path.join(root, 'corpus');
    await expect(ingestCorpusDir({ corpusDir, indexDir: path.join(root, 'index'), embedder: createFakeEmbedder() })).rejects.toThrow(/The corpus folder .* does not exist/);
    expect(existsSync(corpusDir)).toBe(false);
  });
});
