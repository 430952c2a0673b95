import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../../src/feeds/feed-error.js';
import { parseHfDailyPapers } from '../../src/feeds/parse-hf-daily.js';

const days = JSON.parse(readFileSync(new URL('../fixtures/feeds/hf-daily-papers.json', import.meta.url), 'utf8')) as Record<string, unknown[]>;
const options = (date: string) => ({ date, feed: 'hf:daily' });

describe('parseHfDailyPapers', () => {
  it('reads the paper of each item: arXiv id, cleaned title and summary, author names, date', () => {
    const page = parseHfDailyPapers(JSON.stringify(days['2025-01-08']), options('2025-01-08'));
    expect(page.skipped).toEqual([]);
    expect(page.papers[1]).toEqual({
      arxivId: '2501.05005',
      title: 'Scaling Laws for Sparse Mixture-of-Experts Routing',
      abstract: 'We fit scaling laws for the number of experts and the router temperature in sparse mixture-of-experts language models.',
      url: 'https://arxiv.org/abs/2501.05005',
      authors: ['Quinn Router'],
      published: '2025-01-08T05:00:00.000Z',
      categories: [],
      feed: 'hf:daily',
    });
  });

  it('skips bad items with a reason naming the day and item, and keeps the good ones', () => {
    const page = parseHfDailyPapers(JSON.stringify(days['2025-01-07']), options('2025-01-07'));
    expect(page.papers.map((p) => p.arxivId)).toEqual(['2501.01501']);
    expect(page.skipped).toEqual([
      { reason: '2025-01-07 item #2: "paper.id" missing or not a string' },
      { reason: '2025-01-07 item #3 (2501.04404): missing abstract' },
      { reason: '2025-01-07 item #4: "paper" missing or not an object' },
    ]);
  });

  it('skips an item whose id is not an arXiv id', () => {
    const page = parseHfDailyPapers(JSON.stringify([{ paper: { id: 'abc', title: 't', summary: 's' } }]), options('2025-01-01'));
    expect(page.skipped).toEqual([{ reason: '2025-01-01 item #1: id "abc" is not an arXiv id' }]);
  });

  it('reads an empty day as no papers', () => {
    expect(parseHfDailyPapers('[]', options('2025-01-04'))).toEqual({ papers: [], skipped: [] });
  });

  it('fails the day on malformed JSON or a body that is not a list', () => {
    expect(() => parseHfDailyPapers('[{"paper": ', options('2025-01-05'))).toThrow(FeedError);
    expect(() => parseHfDailyPapers('[{"paper": ', options('2025-01-05'))).toThrow(/^malformed JSON: /);
    expect(() => parseHfDailyPapers('{"error":"Invalid date"}', options('2025-01-05'))).toThrow('expected a JSON list of papers, got object');
  });
});
