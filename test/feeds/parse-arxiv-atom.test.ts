import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../../src/feeds/feed-error.js';
import { parseArxivAtom } from '../../src/feeds/parse-arxiv-atom.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');
const options = { start: 0, feed: 'arxiv:cat:cs.LG' };

function parseError(xml: string): FeedError {
  try {
    parseArxivAtom(xml, options);
  } catch (error) {
    if (error instanceof FeedError) return error;
    throw error;
  }
  throw new Error('expected a FeedError');
}

describe('parseArxivAtom', () => {
  const page = parseArxivAtom(fixture('arxiv-atom-page.xml'), options);

  it('reads the opensearch total and counts every entry, valid or not', () => {
    expect(page.totalResults).toBe(137);
    expect(page.entryCount).toBe(5);
    expect(page.papers.map((p) => p.arxivId)).toEqual(['2501.03502', '2501.03001', 'cs/0112017']);
  });

  it('turns an entry into a paper: id without version, real link, cleaned text, authors, dates, categories', () => {
    expect(page.papers[0]).toEqual({
      arxivId: '2501.03502',
      version: 2,
      title: 'Stable Adapters for Continual Fine-Tuning of Language Models',
      abstract:
        'We study parameter-efficient adapters for continual fine-tuning. Adapters trained one task after another forget less when their updates are projected away from the subspace used by earlier tasks (code: https://github.com/example/stable-adapters).',
      url: 'https://arxiv.org/abs/2501.03502',
      authors: ['Ada Example', 'Bo Sample'],
      published: '2025-01-07T17:59:59.000Z',
      updated: '2025-01-08T10:15:00.000Z',
      categories: ['cs.LG', 'cs.CL'],
      feed: 'arxiv:cat:cs.LG',
    });
  });

  it('collapses LaTeX line breaks and decodes entities', () => {
    expect(page.papers[1]?.title).toBe('Forgetting Less: A Study of Rehearsal Buffers under Distribution Shift');
    expect(page.papers[1]?.abstract).toContain('for $k < 50$.');
  });

  it('reads old-style ids and puts the primary category first without duplicates', () => {
    expect(page.papers[2]).toMatchObject({ arxivId: 'cs/0112017', version: 3, url: 'https://arxiv.org/abs/cs/0112017', categories: ['cs.AI', 'cs.LG'] });
  });

  it('skips malformed entries with a reason naming the entry', () => {
    expect(page.skipped).toEqual([
      { reason: 'entry #3 (http://arxiv.org/abs/not-an-arxiv-id): id is not an arXiv id' },
      { reason: 'entry #4 (http://arxiv.org/abs/2501.02503v1): missing abstract' },
    ]);
  });

  it('numbers entries from the page offset', () => {
    const later = parseArxivAtom(fixture('arxiv-atom-page.xml'), { ...options, start: 100 });
    expect(later.skipped[0]?.reason).toMatch(/^entry #103 /);
  });

  it('reports an entry without id, title or date', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title></entry><entry></entry>
      <entry><id>http://arxiv.org/abs/2501.00001v1</id><summary>s</summary><published>2025-01-01T00:00:00Z</published></entry>
      <entry><id>http://arxiv.org/abs/2501.00002v1</id><title>t</title><summary>s</summary><published>soon</published></entry></feed>`;
    expect(parseArxivAtom(xml, options).skipped.map((s) => s.reason)).toEqual([
      'entry #1: no <id>',
      'entry #2: empty <entry>',
      'entry #3 (http://arxiv.org/abs/2501.00001v1): missing title',
      'entry #4 (http://arxiv.org/abs/2501.00002v1): missing or invalid <published> date',
    ]);
  });

  it('reads an empty feed as a page without entries', () => {
    const empty = parseArxivAtom('<feed xmlns="http://www.w3.org/2005/Atom"><opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:totalResults></feed>', options);
    expect(empty).toEqual({ totalResults: 0, entryCount: 0, papers: [], skipped: [] });
  });

  it("turns arXiv's error feed into a FeedError with arXiv's message", () => {
    expect(parseError(fixture('arxiv-error.xml')).message).toBe('arXiv API error: max_results must be non-negative');
  });

  it('rejects malformed XML, a truncated page and a plain-text body', () => {
    const page = fixture('arxiv-atom-page.xml');
    expect(parseError(page.slice(0, page.length / 2))).toMatchObject({ kind: 'format', message: expect.stringMatching(/^malformed XML/) });
    expect(parseError('Rate exceeded.').message).toMatch(/malformed XML.*"Rate exceeded\."/);
    expect(parseError('<feed><entry></feed>').kind).toBe('format');
  });

  it('rejects well-formed XML that is not an Atom feed', () => {
    expect(parseError('<html><body>Service unavailable</body></html>').message).toBe('not an Atom feed: no <feed> element');
  });
});
