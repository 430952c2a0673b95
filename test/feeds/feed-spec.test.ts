import { describe, expect, it } from 'vitest';
import { FeedSpecError, parseFeedList, parseFeedSpec } from '../../src/feeds/feed-spec.js';

describe('parseFeedSpec', () => {
  it('reads an arXiv search query and the Hugging Face daily feed', () => {
    expect(parseFeedSpec(' arxiv:cat:cs.LG AND abs:"continual learning" ')).toEqual({
      kind: 'arxiv',
      name: 'arxiv:cat:cs.LG AND abs:"continual learning"',
      query: 'cat:cs.LG AND abs:"continual learning"',
    });
    expect(parseFeedSpec('HF:Daily')).toEqual({ kind: 'hf-daily', name: 'hf:daily' });
  });

  it('refuses unknown feeds and queries arXiv would reject', () => {
    expect(() => parseFeedSpec('rss:https://example.org')).toThrow('unknown feed "rss:https://example.org": use arxiv:<search query> or hf:daily');
    expect(() => parseFeedSpec('arxiv:')).toThrow(/arXiv search query is empty/);
    expect(() => parseFeedSpec('arxiv:abs:"continual learning')).toThrow('unbalanced double quote in the arXiv search query');
    expect(() => parseFeedSpec('arxiv:(cat:cs.LG OR cat:cs.CV')).toThrow('unbalanced parentheses in the arXiv search query');
    expect(() => parseFeedSpec('arxiv:cat:cs.LG) AND (cat:cs.CV')).toThrow('unbalanced parentheses in the arXiv search query');
  });
});

describe('parseFeedList', () => {
  it('splits on semicolons outside quotes and on new lines, ignoring blanks, comments and repeats', () => {
    const feeds = parseFeedList('arxiv:abs:"a; b" AND cat:cs.LG; hf:daily;\n# a comment\n\nhf:daily');
    expect(feeds.map((feed) => feed.name)).toEqual(['arxiv:abs:"a; b" AND cat:cs.LG', 'hf:daily']);
  });

  it('says which item is bad', () => {
    expect(() => parseFeedList('hf:daily; hf:weekly')).toThrow(new FeedSpecError('item 2: unknown feed "hf:weekly": use arxiv:<search query> or hf:daily'));
  });

  it('says which line is bad in a feeds file', () => {
    expect(() => parseFeedList('# feeds\nhf:daily\narxiv:abs:"x', { byLine: true })).toThrow('line 3: unbalanced double quote in the arXiv search query');
  });
});
