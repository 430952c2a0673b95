import { describe, expect, it } from 'vitest';
import type { FeedPaper } from '../../src/feeds/feed-paper.js';
import { describeFetchProgress, describeFetchSummary, summariseFetch } from '../../src/feeds/summarise-fetch.js';

const paper = (arxivId: string) => ({ arxivId }) as FeedPaper;

describe('summariseFetch', () => {
  it('counts distinct papers and lists feed skips and merge skips with their reasons', () => {
    const summary = summariseFetch(
      {
        papers: [paper('a'), paper('b'), paper('c')],
        perFeed: [
          { feed: 'arxiv:cat:cs.LG', status: 'ok', fetched: 3, skipped: [{ reason: 'entry #4: missing abstract' }], notes: ['stopped at 3 papers, the limit per feed'] },
          { feed: 'hf:daily', status: 'failed', fetched: 0, skipped: [], notes: [], error: '2025-01-08: HTTP 500 Internal Server Error from huggingface.co' },
        ],
      },
      { file: 'feeds.jsonl', added: [paper('a')], updated: [paper('b')], unchanged: 0, skipped: [{ arxivId: 'c', reason: 'already in the corpus as mine.txt:1' }], written: true },
      false,
    );
    expect(summary).toEqual({
      fetched: 3,
      new: 1,
      updated: 1,
      unchanged: 0,
      skipped: [
        { feed: 'arxiv:cat:cs.LG', reason: 'entry #4: missing abstract' },
        { reason: 'c: already in the corpus as mine.txt:1' },
      ],
      feeds: [
        { feed: 'arxiv:cat:cs.LG', status: 'ok', fetched: 3, skipped: 1, notes: ['stopped at 3 papers, the limit per feed'] },
        { feed: 'hf:daily', status: 'failed', fetched: 0, skipped: 0, notes: [], error: '2025-01-08: HTTP 500 Internal Server Error from huggingface.co' },
      ],
      dryRun: false,
    });
    expect(describeFetchSummary(summary)).toEqual([
      'Fetched 3 papers: 1 new, 1 updated, 0 unchanged, 2 skipped',
      '  arxiv:cat:cs.LG: ok, 3 papers — stopped at 3 papers, the limit per feed',
      '  hf:daily: FAILED after 0 papers: 2025-01-08: HTTP 500 Internal Server Error from huggingface.co (the next run retries)',
      '  skipped arxiv:cat:cs.LG entry #4: missing abstract',
      '  skipped c: already in the corpus as mine.txt:1',
    ]);
  });
});

describe('describeFetchProgress', () => {
  it('describes pages, retries and failures, and stays quiet about the rest', () => {
    expect(describeFetchProgress({ kind: 'page', feed: 'hf:daily', fetched: 12 })).toBe('hf:daily: 12 papers');
    expect(describeFetchProgress({ kind: 'page', feed: 'arxiv:x', fetched: 100, total: 340 })).toBe('arxiv:x: 100 papers (query has 340)');
    expect(describeFetchProgress({ kind: 'wait', feed: 'arxiv:x', ms: 7_000, reason: 'retry', detail: 'HTTP 503' })).toBe('arxiv:x: HTTP 503; retrying in 7 s');
    expect(describeFetchProgress({ kind: 'wait', feed: 'arxiv:x', ms: 3_000, reason: 'politeness' })).toBeUndefined();
    expect(describeFetchProgress({ kind: 'request', feed: 'arxiv:x', url: 'http://x' })).toBeUndefined();
  });
});
