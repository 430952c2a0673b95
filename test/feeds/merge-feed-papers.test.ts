import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCorpusFile } from '../../src/corpus/parse-corpus-file.js';
import { isUserFacingError } from '../../src/errors.js';
import type { FeedPaper } from '../../src/feeds/feed-paper.js';
import { mergeFeedPapers } from '../../src/feeds/merge-feed-papers.js';
import { ingestCorpusDir } from '../../src/ingest/ingest-corpus-dir.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';
import { rejection } from '../support/rejection.js';

function paper(arxivId: string, overrides: Partial<FeedPaper> = {}): FeedPaper {
  return {
    arxivId,
    version: 1,
    title: `Paper ${arxivId} on continual learning`,
    abstract: `Abstract of ${arxivId}: replay buffers and prompts for continual learning (code: https://github.com/example/${arxivId}).`,
    url: `https://arxiv.org/abs/${arxivId}`,
    authors: ['Ada Example', 'Bo Sample'],
    published: '2025-01-07T12:00:00.000Z',
    updated: '2025-01-07T12:00:00.000Z',
    categories: ['cs.LG', 'cs.CV'],
    feed: 'arxiv:cat:cs.LG',
    ...overrides,
  };
}

describe('mergeFeedPapers', () => {
  let root: string;
  let corpusDir: string;
  let feedsFile: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'paperbot-feeds-merge-'));
    corpusDir = path.join(root, 'corpus');
    feedsFile = path.join(corpusDir, 'feeds.jsonl');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes a corpus JSONL file that the corpus parser reads without a skipped record', async () => {
    const result = await mergeFeedPapers({ corpusDir, papers: [paper('2501.04001'), paper('cs/0112017')] });
    expect(result).toMatchObject({ file: feedsFile, unchanged: 0, skipped: [], written: true });
    expect(result.added.map((p) => p.arxivId)).toEqual(['2501.04001', 'cs/0112017']);
    const parsed = await parseCorpusFile(feedsFile);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.papers.map((p) => p.id)).toEqual(['arxiv-2501.04001', 'arxiv-cs-0112017']);
    expect(parsed.papers[0]).toMatchObject({
      url: 'https://arxiv.org/abs/2501.04001',
      authors: ['Ada Example', 'Bo Sample'],
      published: '2025-01-07T12:00:00.000Z',
      tags: ['cs.LG', 'cs.CV'],
      links: ['https://github.com/example/2501.04001'],
      source: { file: 'feeds.jsonl', line: 1 },
    });
  });

  it('counts new, updated, unchanged and skipped over two fetches, one line per arXiv id', async () => {
    await mergeFeedPapers({ corpusDir, papers: [paper('2501.00001'), paper('2501.00002')] });
    await writeFile(path.join(corpusDir, 'mine.txt'), 'A Hand-Added Paper\nWe describe a paper that an operator added by hand before any fetch. It studies how replay buffers interact with prompt pools when tasks arrive one after another, and reports results on three benchmarks.\n');
    const v2 = paper('2501.00002', { version: 2, abstract: 'The second version of the abstract.', updated: '2025-01-08T10:00:00.000Z' });
    const handAdded = paper('2501.00009', { title: 'A hand-added paper' });
    const second = await mergeFeedPapers({ corpusDir, papers: [paper('2501.00001'), v2, paper('2501.00003'), handAdded] });
    expect(second.added.map((p) => p.arxivId)).toEqual(['2501.00003']);
    expect(second.updated).toEqual([v2]);
    expect(second.unchanged).toBe(1);
    expect(second.skipped).toEqual([{ arxivId: '2501.00009', reason: 'already in the corpus as mine.txt:1' }]);
    const records = (await readFile(feedsFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { arxivId: string; version: number; abstract: string });
    expect(records.map((r) => [r.arxivId, r.version])).toEqual([
      ['2501.00001', 1],
      ['2501.00002', 2],
      ['2501.00003', 1],
    ]);
    expect(records[1]?.abstract).toBe('The second version of the abstract.');
  });

  it('does not rewrite the file when nothing changed, and leaves no temp file behind', async () => {
    await mergeFeedPapers({ corpusDir, papers: [paper('2501.00001')] });
    const before = await stat(feedsFile);
    const again = await mergeFeedPapers({ corpusDir, papers: [paper('2501.00001')] });
    expect(again).toMatchObject({ added: [], updated: [], unchanged: 1, written: false });
    expect((await stat(feedsFile)).mtimeMs).toBe(before.mtimeMs);
    expect(await readdir(corpusDir)).toEqual(['feeds.jsonl']);
  });

  it('counts without writing on a dry run', async () => {
    const result = await mergeFeedPapers({ corpusDir, papers: [paper('2501.00001')], dryRun: true });
    expect(result).toMatchObject({ unchanged: 0, written: false });
    expect(result.added).toHaveLength(1);
    expect(await readdir(corpusDir)).toEqual([]);
  });

  it('refuses to merge while another merge holds the file, with a user-facing error', async () => {
    await mergeFeedPapers({ corpusDir, papers: [paper('2501.00001')] });
    const release = await lockfile.lock(feedsFile, { realpath: false, lockfilePath: path.join(corpusDir, '.feeds.jsonl.lock') });
    try {
      const error = await rejection(mergeFeedPapers({ corpusDir, papers: [paper('2501.00002')], lockWaitMs: 0 }));
      expect(isUserFacingError(error) && error.code).toBe('feeds-file-locked');
      expect(error.message).toBe('Another fetch is updating feeds.jsonl; try again when it has finished.');
    } finally {
      await release();
    }
    expect((await readFile(feedsFile, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('feeds the normal corpus ingest: added, then one paper re-embedded for a new version', async () => {
    const indexDir = path.join(root, 'index');
    const embedder = createFakeEmbedder({ dimensions: 16 });
    await mergeFeedPapers({ corpusDir, papers: [paper('2501.00001'), paper('2501.00002')] });
    const first = await ingestCorpusDir({ corpusDir, indexDir, embedder });
    expect(first.summary).toMatchObject({ added: 2, skipped: 0, total: 2 });

    await mergeFeedPapers({ corpusDir, papers: [paper('2501.00002', { version: 2, abstract: 'Version two.', updated: '2025-01-09T00:00:00.000Z' })] });
    const second = await ingestCorpusDir({ corpusDir, indexDir, embedder });
    expect(second.summary).toMatchObject({ added: 0, updated: 1, unchanged: 1, removed: 0, skipped: 0, total: 2 });
  });
});
