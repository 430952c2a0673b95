import { describe, expect, it } from 'vitest';
import { toFeedCorpusRecord } from '../../src/feeds/feed-corpus-record.js';
import type { FeedPaper } from '../../src/feeds/feed-paper.js';
import { corpusPaperKeys, planFeedMerge } from '../../src/feeds/plan-feed-merge.js';

function paper(overrides: Partial<FeedPaper> = {}): FeedPaper {
  const arxivId = overrides.arxivId ?? '2501.03502';
  return {
    arxivId,
    version: 1,
    title: 'Stable Adapters for Continual Fine-Tuning',
    abstract: 'First version of the abstract.',
    url: `https://arxiv.org/abs/${arxivId}`,
    authors: ['Ada Example'],
    published: '2025-01-07T17:59:59.000Z',
    updated: '2025-01-07T17:59:59.000Z',
    categories: ['cs.LG'],
    feed: 'arxiv:cat:cs.LG',
    ...overrides,
  };
}

/** The same paper as Hugging Face gives it: no version, no update date, no categories. */
function hfPaper(overrides: Partial<FeedPaper> = {}): FeedPaper {
  const { version: _version, updated: _updated, ...rest } = paper({ feed: 'hf:daily', categories: [], ...overrides });
  return rest;
}

const line = (p: FeedPaper) => JSON.stringify(toFeedCorpusRecord(p));
const none = new Map<string, string>();

describe('planFeedMerge', () => {
  it('appends new papers as corpus JSONL records with the arXiv revision kept', () => {
    const plan = planFeedMerge([], [paper()], none);
    expect(plan.added).toHaveLength(1);
    expect(plan.lines.map((l) => JSON.parse(l))).toEqual([
      {
        title: 'Stable Adapters for Continual Fine-Tuning',
        abstract: 'First version of the abstract.',
        url: 'https://arxiv.org/abs/2501.03502',
        authors: ['Ada Example'],
        published: '2025-01-07T17:59:59.000Z',
        tags: ['cs.LG'],
        arxivId: '2501.03502',
        version: 1,
        updated: '2025-01-07T17:59:59.000Z',
      },
    ]);
  });

  it('leaves a paper fetched twice unchanged', () => {
    const plan = planFeedMerge([line(paper())], [paper()], none);
    expect([plan.added.length, plan.updated.length, plan.unchanged.length]).toEqual([0, 0, 1]);
    expect(plan.lines).toEqual([line(paper())]);
  });

  it('replaces v1 by v2 in place', () => {
    const other = paper({ arxivId: '2501.00001', title: 'Other' });
    const v2 = paper({ version: 2, abstract: 'Second version.', updated: '2025-01-08T10:15:00.000Z' });
    const plan = planFeedMerge([line(paper()), line(other)], [v2], none);
    expect(plan.updated).toEqual([v2]);
    expect(plan.lines).toEqual([line(v2), line(other)]);
  });

  it('keeps a stored newer revision when an older one is fetched', () => {
    const v2 = paper({ version: 2, abstract: 'Second version.', updated: '2025-01-08T10:15:00.000Z' });
    const plan = planFeedMerge([line(v2)], [hfPaper({ abstract: 'First version (HF).' }), paper()], none);
    expect(plan.unchanged).toHaveLength(1);
    expect(plan.lines).toEqual([line(v2)]);
  });

  it("lets arXiv's own entry replace a Hugging Face record of the same revision", () => {
    const plan = planFeedMerge([line(hfPaper())], [paper()], none);
    expect(plan.updated).toHaveLength(1);
    expect(JSON.parse(plan.lines[0]!)).toMatchObject({ version: 1, tags: ['cs.LG'] });
  });

  it('skips a paper another corpus file already has, by id or by title', () => {
    const elsewhere = new Map([
      ...corpusPaperKeys({ id: 'arxiv-2501.00001', title: 'Something else' }).map((key) => [key, 'mine.jsonl:3'] as const),
      ...corpusPaperKeys({ id: 'stable-adapters-1234abcd', title: 'STABLE adapters for continual fine-tuning!' }).map((key) => [key, 'hf-trending-papers.txt:7'] as const),
    ]);
    const plan = planFeedMerge([], [paper(), paper({ arxivId: '2501.00001', title: 'Renamed' })], elsewhere);
    expect(plan.skipped).toEqual([
      { arxivId: '2501.03502', reason: 'already in the corpus as hf-trending-papers.txt:7' },
      { arxivId: '2501.00001', reason: 'already in the corpus as mine.jsonl:3' },
    ]);
    expect(plan.lines).toEqual([]);
  });

  it('keeps lines it cannot read as they are', () => {
    const plan = planFeedMerge(['{"title": broken', '', '{"title":"t","abstract":"a"}'], [paper()], none);
    expect(plan.lines).toEqual(['{"title": broken', '{"title":"t","abstract":"a"}', line(paper())]);
  });
});
