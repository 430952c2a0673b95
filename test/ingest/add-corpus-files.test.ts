import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { addCorpusFiles } from '../../src/ingest/add-corpus-files.js';
import { loadCorpusDir } from '../../src/ingest/corpus-dir.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'paperbot-add-'));

describe('addCorpusFiles', () => {
  it('copies operator files into the corpus folder; the same content again is not a replacement', async () => {
    const corpusDir = path.join(tempDir(), 'corpus');
    const added = await addCorpusFiles(corpusDir, [path.join(fixtures, 'papers-sample.jsonl'), path.join(fixtures, 'trending-malformed.txt')]);
    expect(added.map((a) => [a.name, a.papers, a.skipped.length, a.replaced])).toEqual([
      ['papers-sample.jsonl', 2, 0, false],
      ['trending-malformed.txt', 4, 4, false],
    ]);
    expect(readdirSync(corpusDir).sort()).toEqual(['papers-sample.jsonl', 'trending-malformed.txt']);
    const again = await addCorpusFiles(corpusDir, [path.join(fixtures, 'papers-sample.jsonl')]);
    expect(again[0]!.replaced).toBe(false);
    // Re-adding the corpus file itself (its own path) is allowed too.
    const itself = await addCorpusFiles(corpusDir, [path.join(corpusDir, 'trending-malformed.txt')]);
    expect(itself[0]!.replaced).toBe(false);
  });

  it('refuses a different file with the name of an existing corpus file unless replace is set, copying nothing', async () => {
    const corpusDir = tempDir();
    const original = path.join(corpusDir, 'good.jsonl');
    copyFileSync(path.join(fixtures, 'papers-sample.jsonl'), original);
    const other = path.join(tempDir(), 'good.jsonl');
    writeFileSync(other, `${JSON.stringify({ title: 'Another Paper Entirely', abstract: 'Something else. With two sentences.' })}\n`);
    const fresh = path.join(tempDir(), 'fresh.jsonl');
    copyFileSync(other, fresh);
    const error = await addCorpusFiles(corpusDir, [fresh, other]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toMatch(/already has a file named good\.jsonl.*--replace/);
    expect(readdirSync(corpusDir)).toEqual(['good.jsonl']);
    expect(readFileSync(original)).toEqual(readFileSync(path.join(fixtures, 'papers-sample.jsonl')));
    const replaced = await addCorpusFiles(corpusDir, [other], { replace: true });
    expect(replaced[0]!.replaced).toBe(true);
    expect(readFileSync(original, 'utf8')).toBe(readFileSync(other, 'utf8'));
  });

  it('stores a file with an explicit format under a recognised extension', async () => {
    const corpusDir = tempDir();
    const source = path.join(tempDir(), 'export.data');
    copyFileSync(path.join(fixtures, 'papers-sample.jsonl'), source);
    const [added] = await addCorpusFiles(corpusDir, [source], { format: 'jsonl' });
    expect(added!.name).toBe('export.data.jsonl');
    expect((await loadCorpusDir(corpusDir)).papers).toHaveLength(2);
  });

  it('refuses unknown formats and files without any valid paper, copying nothing', async () => {
    const corpusDir = tempDir();
    const dir = tempDir();
    const csv = path.join(dir, 'papers.csv');
    writeFileSync(csv, 'title,abstract\n');
    await expect(addCorpusFiles(corpusDir, [path.join(fixtures, 'papers-sample.jsonl'), csv])).rejects.toBeInstanceOf(UserFacingError);
    const empty = path.join(dir, 'empty.jsonl');
    writeFileSync(empty, '{"title": "x"}\n');
    const error = await addCorpusFiles(corpusDir, [empty]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toMatch(/No valid paper.*1 malformed/);
    expect(readdirSync(corpusDir)).toEqual([]);
  });

  it('refuses two files that would get the same name, and dot-files the folder would ignore, copying nothing', async () => {
    const corpusDir = tempDir();
    const a = path.join(tempDir(), 'papers.jsonl');
    const b = path.join(tempDir(), 'papers.jsonl');
    copyFileSync(path.join(fixtures, 'papers-sample.jsonl'), a);
    copyFileSync(path.join(fixtures, 'papers-sample.jsonl'), b);
    await expect(addCorpusFiles(corpusDir, [a, b])).rejects.toThrow(/both be stored as papers\.jsonl/);
    const hidden = path.join(tempDir(), '.hidden.jsonl');
    copyFileSync(path.join(fixtures, 'papers-sample.jsonl'), hidden);
    await expect(addCorpusFiles(corpusDir, [hidden])).rejects.toThrow(/starts with a dot/);
    expect(readdirSync(corpusDir)).toEqual([]);
  });
});
