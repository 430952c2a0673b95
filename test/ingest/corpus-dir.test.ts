import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { ensureCorpus, listCorpusFiles, loadCorpusDir, stampCorpusDir } from '../../src/ingest/corpus-dir.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '..', 'fixtures', 'corpus');
const bundled = path.join(here, '..', '..', 'data', 'corpus', 'hf-trending-papers.txt');
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'paperbot-corpus-'));

describe('ensureCorpus', () => {
  it('seeds a missing or empty corpus folder with the bundled corpus, once', async () => {
    const corpusDir = path.join(tempDir(), 'corpus');
    const first = await ensureCorpus(corpusDir, bundled);
    expect(first).toEqual({ seeded: true, files: ['hf-trending-papers.txt'] });
    expect(readFileSync(path.join(corpusDir, 'hf-trending-papers.txt'), 'utf8')).toBe(readFileSync(bundled, 'utf8'));
    const second = await ensureCorpus(corpusDir, bundled);
    expect(second.seeded).toBe(false);
  });

  it('leaves a folder that already has a corpus file alone', async () => {
    const corpusDir = tempDir();
    copyFileSync(path.join(fixtures, 'papers-sample.jsonl'), path.join(corpusDir, 'mine.jsonl'));
    writeFileSync(path.join(corpusDir, 'notes.md'), 'not a corpus file');
    expect(await ensureCorpus(corpusDir, bundled)).toEqual({ seeded: false, files: ['mine.jsonl'] });
    expect(readdirSync(corpusDir).sort()).toEqual(['mine.jsonl', 'notes.md']);
  });
});

describe('loadCorpusDir', () => {
  it('merges all corpus files in name order and reports cross-file duplicates as skipped', async () => {
    const corpusDir = tempDir();
    copyFileSync(path.join(fixtures, 'trending-malformed.txt'), path.join(corpusDir, 'a-trending.txt'));
    copyFileSync(path.join(fixtures, 'papers-sample.jsonl'), path.join(corpusDir, 'b-papers.jsonl'));
    mkdirSync(path.join(corpusDir, 'sub.txt'));
    const { papers, skipped } = await loadCorpusDir(corpusDir);
    // a-trending.txt: 4 papers; b-papers.jsonl: "Sparse Experts" has an arXiv url (new id), "Compressed Replay" duplicates a-trending.
    expect(papers.map((p) => `${p.source.file}:${p.source.line}`)).toEqual([
      'a-trending.txt:3',
      'a-trending.txt:6',
      'a-trending.txt:10',
      'a-trending.txt:15',
      'b-papers.jsonl:1',
    ]);
    const crossFile = skipped.filter((s) => s.file === 'b-papers.jsonl');
    expect(crossFile).toEqual([{ file: 'b-papers.jsonl', line: 2, reason: expect.stringMatching(/duplicate of "Compressed Replay.*a-trending\.txt:10/) as unknown as string }]);
    expect(skipped.filter((s) => s.file === 'a-trending.txt')).toHaveLength(4);
  });

  it('reports a missing folder as a UserFacingError', async () => {
    await expect(loadCorpusDir(path.join(tempDir(), 'missing'))).rejects.toBeInstanceOf(UserFacingError);
  });

  it('stamps corpus files by size and mtime', async () => {
    const corpusDir = tempDir();
    copyFileSync(path.join(fixtures, 'papers-sample.jsonl'), path.join(corpusDir, 'p.jsonl'));
    const [stamp] = await stampCorpusDir(corpusDir);
    expect(stamp).toMatchObject({ name: 'p.jsonl', size: readFileSync(path.join(fixtures, 'papers-sample.jsonl')).length });
    expect(await listCorpusFiles(path.join(corpusDir, 'none'))).toEqual([]);
  });
});
