/**
 * A fake arXiv API (`GET /api/query`) for tests and the fetch benchmark: Atom 1.0 pages in the format
 * of the arXiv API user manual (opensearch totals, `arxiv:` extension elements), paged by `start` /
 * `max_results` over the entries configured for each `search_query`.
 *
 * ```ts
 * const arxiv = await startFakeArxivServer();
 * arxiv.setEntries(entries.map(renderArxivEntry));            // any query; or setEntries(list, 'cat:cs.LG')
 * arxiv.setEntries({ count: 2000, entryAt: (i) => … });     // a lazy source (the benchmark)
 * arxiv.enqueue({ kind: 'status', status: 503, headers: { 'retry-after': '5' } });
 * arxiv.enqueue({ kind: 'page', entries: [] });              // this request's page holds only these entries
 * arxiv.requests[0].params.search_query;  await arxiv.close();
 * ```
 * Behaviours: those of `fake-feed-http.ts`, plus `{ kind: 'page', entries }`.
 */
import { startFakeFeedHttp, type FakeFeedBehavior, type FakeFeedHttp } from './fake-feed-http.js';

/** One paper as the fixtures describe it; `renderArxivEntry` turns it into an Atom `<entry>`. */
export interface ArxivEntryFixture {
  /** As arXiv puts it in `<id>`: with version, e.g. `2501.03502v2` (any text, to test bad ids). */
  id: string;
  title: string;
  summary?: string;
  authors?: { name: string; affiliation?: string }[];
  published: string;
  updated?: string;
  primaryCategory?: string;
  categories?: string[];
  comment?: string;
  doi?: string;
}

/** Entries of a query, served in this order (newest submission first, as sortOrder=descending). */
export type ArxivEntrySource = readonly string[] | { count: number; entryAt(index: number): string };

const ATOM_NS = 'xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom"';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An Atom `<entry>` as the arXiv API writes it. */
export function renderArxivEntry(entry: ArxivEntryFixture): string {
  const abs = `http://arxiv.org/abs/${entry.id}`;
  const categories = entry.categories ?? (entry.primaryCategory ? [entry.primaryCategory] : []);
  return [
    '  <entry>',
    `    <id>${escapeXml(abs)}</id>`,
    `    <updated>${entry.updated ?? entry.published}</updated>`,
    `    <published>${entry.published}</published>`,
    `    <title>${escapeXml(entry.title)}</title>`,
    entry.summary === undefined ? '' : `    <summary>${escapeXml(entry.summary)}</summary>`,
    ...(entry.authors ?? []).map(
      (author) => `    <author>\n      <name>${escapeXml(author.name)}</name>${author.affiliation ? `\n      <arxiv:affiliation>${escapeXml(author.affiliation)}</arxiv:affiliation>` : ''}\n    </author>`,
    ),
    entry.doi ? `    <arxiv:doi>${escapeXml(entry.doi)}</arxiv:doi>\n    <link title="doi" href="http://dx.doi.org/${escapeXml(entry.doi)}" rel="related"/>` : '',
    entry.comment ? `    <arxiv:comment>${escapeXml(entry.comment)}</arxiv:comment>` : '',
    `    <link href="${escapeXml(abs)}" rel="alternate" type="text/html"/>`,
    `    <link title="pdf" href="${escapeXml(abs.replace('/abs/', '/pdf/'))}" rel="related" type="application/pdf"/>`,
    entry.primaryCategory ? `    <arxiv:primary_category term="${escapeXml(entry.primaryCategory)}" scheme="http://arxiv.org/schemas/atom"/>` : '',
    ...categories.map((term) => `    <category term="${escapeXml(term)}" scheme="http://arxiv.org/schemas/atom"/>`),
    '  </entry>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** A whole API response around some entries, with the opensearch paging elements. */
export function renderArxivFeed(page: { query: string; start: number; maxResults: number; totalResults: number; entries: readonly string[] }): string {
  const query = `search_query=${page.query}&id_list=&start=${page.start}&max_results=${page.maxResults}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed ${ATOM_NS}>`,
    `  <link href="http://arxiv.org/api/query?${escapeXml(encodeURIComponent(query))}" rel="self" type="application/atom+xml"/>`,
    `  <title type="html">ArXiv Query: ${escapeXml(query)}</title>`,
    '  <id>http://arxiv.org/api/fake-feed-id</id>',
    '  <updated>2025-01-08T00:00:00-05:00</updated>',
    `  <opensearch:totalResults>${page.totalResults}</opensearch:totalResults>`,
    `  <opensearch:startIndex>${page.start}</opensearch:startIndex>`,
    `  <opensearch:itemsPerPage>${page.maxResults}</opensearch:itemsPerPage>`,
    ...page.entries,
    '</feed>',
    '',
  ].join('\n');
}

function sliceSource(source: ArxivEntrySource, start: number, count: number): string[] {
  const total = 'entryAt' in source ? source.count : source.length;
  const entries: string[] = [];
  for (let index = start; index < Math.min(total, start + count); index += 1) {
    entries.push('entryAt' in source ? source.entryAt(index) : (source as readonly string[])[index]!);
  }
  return entries;
}

export type FakeArxivBehavior = FakeFeedBehavior | ArxivPageOverride;
/** This request's page holds exactly these entries (an empty or partial page); totals stay. */
export type ArxivPageOverride = { kind: 'page'; entries: readonly string[] };

export interface FakeArxivServer extends FakeFeedHttp<ArxivPageOverride> {
  /** Entries of one `search_query` (or, without a query, of every query not set on its own). */
  setEntries(entries: ArxivEntrySource, query?: string): void;
}

export async function startFakeArxivServer(entries: ArxivEntrySource = []): Promise<FakeArxivServer> {
  const byQuery = new Map<string, ArxivEntrySource>();
  let fallback = entries;
  const http = await startFakeFeedHttp<ArxivPageOverride>((path, params, override) => {
    if (path !== '/api/query') return { status: 404, contentType: 'text/plain', body: 'not found' };
    const source = byQuery.get(params.search_query ?? '') ?? fallback;
    const start = Number(params.start ?? 0);
    const maxResults = Number(params.max_results ?? 10);
    const totalResults = 'entryAt' in source ? source.count : source.length;
    const page = override?.entries ?? sliceSource(source, start, maxResults);
    return { contentType: 'application/atom+xml; charset=utf-8', body: renderArxivFeed({ query: params.search_query ?? '', start, maxResults, totalResults, entries: page }) };
  });
  return {
    ...http,
    setEntries(source, query) {
      if (query === undefined) fallback = source;
      else byQuery.set(query, source);
    },
  };
}
