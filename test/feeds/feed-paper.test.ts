import { describe, expect, it } from 'vitest';
import { cleanFeedText, compareRevisions, keepNewestRevisions, normaliseFeedDate, type FeedPaper } from '../../src/feeds/feed-paper.js';

function paper(overrides: Partial<FeedPaper>): FeedPaper {
  return { arxivId: '2501.00001', title: 'T', abstract: 'A', url: 'https://arxiv.org/abs/2501.00001', authors: [], categories: [], feed: 'test', ...overrides };
}

describe('cleanFeedText', () => {
  it('collapses hard wraps, indentation and LaTeX line breaks into single spaces', () => {
    expect(cleanFeedText('Forgetting Less:\\\\ A Study\n    of Buffers \\newline under Shift  ')).toBe('Forgetting Less: A Study of Buffers under Shift');
  });

  it('keeps other LaTeX as it is', () => {
    expect(cleanFeedText('for $k < 50$ and \\alpha')).toBe('for $k < 50$ and \\alpha');
  });
});

describe('normaliseFeedDate', () => {
  it('gives ISO 8601 in UTC, or undefined for what is not a date', () => {
    expect(normaliseFeedDate('2003-02-10T15:00:00-05:00')).toBe('2003-02-10T20:00:00.000Z');
    expect(normaliseFeedDate('yesterday')).toBeUndefined();
    expect(normaliseFeedDate(undefined)).toBeUndefined();
  });
});

describe('compareRevisions', () => {
  it('orders by version when both sides name one', () => {
    expect(compareRevisions({ version: 2, updated: '2025-01-01T00:00:00Z' }, { version: 1, updated: '2025-02-01T00:00:00Z' })).toBeGreaterThan(0);
  });

  it('orders by the revision date when a version is unknown', () => {
    expect(compareRevisions({ published: '2025-01-07T00:00:00Z' }, { version: 2, published: '2025-01-01T00:00:00Z', updated: '2025-01-08T00:00:00Z' })).toBeLessThan(0);
    expect(compareRevisions({ published: '2025-01-09T00:00:00Z' }, { version: 1, published: '2025-01-01T00:00:00Z' })).toBeGreaterThan(0);
  });

  it('prefers the revision that names its version at equal dates', () => {
    const date = '2025-01-04T11:00:00.000Z';
    expect(compareRevisions({ version: 1, published: date }, { published: date })).toBeGreaterThan(0);
    expect(compareRevisions({ published: date }, { version: 1, published: date })).toBeLessThan(0);
  });
});

describe('keepNewestRevisions', () => {
  it('keeps one paper per arXiv id, the newest revision, in first-seen order', () => {
    const v1 = paper({ arxivId: 'a', version: 1, title: 'old' });
    const other = paper({ arxivId: 'b' });
    const v2 = paper({ arxivId: 'a', version: 2, title: 'new' });
    expect(keepNewestRevisions([v1, other, v2])).toEqual([v2, other]);
    expect(keepNewestRevisions([v2, other, v1])).toEqual([v2, other]);
  });
});
