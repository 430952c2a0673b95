import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchIntoCorpus, type FetchIntoCorpusOptions } from '../../src/feeds/fetch-into-corpus.js';
import { describeFetchSummary } from '../../src/feeds/summarise-fetch.js';
import { ingestCorpusDir } from '../../src/ingest/ingest-corpus-dir.js';
import { openPaperIndex } from '../../src/store/open-paper-index.js';
import { renderArxivEntry, type FakeArxivServer } from '../support/fake-arxiv-server.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';
import type { FakeHfServer } from '../support/fake-hf-server.js';
import { createFakeFeedTimers } from '../support/fake-feed-timers.js';
import { FIXTURE_NOW, fixtureFetchOptions, loadArxivFixtureEntries, startFixtureFeedServers } from '../support/feed-fixtures.js';

describe('fetchIntoCorpus (fetch, merge into feeds.jsonl, then the normal ingest)', () => {
  let arxiv: FakeArxivServer;
  let hf: FakeHfServer;
  let root: string;
  let corpusDir: string;

  beforeEach(async () => {
    ({ arxiv, hf } = await startFixtureFeedServers());
    root = await mkdtemp(path.join(tmpdir(), 'paperbot-fetch-'));
    corpusDir = path.join(root, 'corpus');
  });
  afterEach(async () => {
    await Promise.all([arxiv.close(), hf.close()]);
    await rm(root, { recursive: true, force: true });
  });

  function options(overrides: Partial<FetchIntoCorpusOptions> = {}): FetchIntoCorpusOptions {
    return { ...fixtureFetchOptions({ arxiv, hf }, createFakeFeedTimers(FIXTURE_NOW)), arxivPageSize: 5, corpusDir, ...overrides };
  }

  it('adds the papers once, then counts a second fetch with a new version as one update', async () => {
    const first = await fetchIntoCorpus(options());
    expect(first.summary).toMatchObject({ fetched: 9, new: 9, updated: 0, unchanged: 0, dryRun: false });
    expect(first.summary.skipped).toHaveLength(5);
    expect(first.merged.written).toBe(true);

    const embedder = createFakeEmbedder({ dimensions: 16 });
    const indexDir = path.join(root, 'index');
    const ingest = await ingestCorpusDir({ corpusDir, indexDir, embedder });
    expect(ingest.summary).toMatchObject({ added: 9, skipped: 0, total: 9 });

    const entries = loadArxivFixtureEntries();
    const v3 = renderArxivEntry({
      id: '2501.04001v2',
      title: 'Replay-Free Continual Learning with Prompt Pools',
      summary: 'Version two: prompts are now shared across tasks.',
      published: '2025-01-08T09:00:00Z',
      updated: '2025-01-09T08:00:00Z',
      categories: ['cs.LG'],
    });
    arxiv.setEntries([v3, ...entries.slice(1)]);
    const second = await fetchIntoCorpus(options());
    expect(second.summary).toMatchObject({ fetched: 9, new: 0, updated: 1, unchanged: 8 });
    const again = await ingestCorpusDir({ corpusDir, indexDir, embedder });
    expect(again.summary).toMatchObject({ added: 0, updated: 1, unchanged: 8, total: 9 });
    const index = await openPaperIndex({ indexDir, embedder });
    expect(index.papers.find((p) => p.id === 'arxiv-2501.04001')?.abstract).toBe('Version two: prompts are now shared across tasks.');
  });

  it('writes nothing on a dry run', async () => {
    const result = await fetchIntoCorpus(options({ dryRun: true }));
    expect(result.summary).toMatchObject({ fetched: 9, new: 9, dryRun: true });
    expect(await readdir(corpusDir)).toEqual([]);
  });

  it('still merges the papers of the feeds that worked, and says which failed', async () => {
    for (let i = 0; i < 3; i += 1) hf.enqueue({ kind: 'status', status: 503, headers: { 'retry-after': '2' } });
    const result = await fetchIntoCorpus(options());
    expect(result.summary).toMatchObject({ fetched: 8, new: 8 });
    expect(describeFetchSummary(result.summary).slice(0, 3)).toEqual([
      'Fetched 8 papers: 8 new, 0 updated, 0 unchanged, 2 skipped',
      '  arxiv:cat:cs.LG AND abs:"continual learning": ok, 8 papers',
      expect.stringMatching(/^ {2}hf:daily: FAILED after 0 papers: 2025-01-08: HTTP 503 Service Unavailable from 127\.0\.0\.1:\d+ \(3 attempts\) \(the next run retries\)$/),
    ]);
  });
});
