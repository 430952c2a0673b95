import { XMLParser } from 'fast-xml-parser';
import { SyntaxValidator } from 'fast-xml-validator';
import { arxivAbsUrl, parseArxivId } from './arxiv-id.js';
import { FeedError, quoteResponseStart } from './feed-error.js';
import { cleanFeedText, normaliseFeedDate, type FeedPaper, type FeedSkip } from './feed-paper.js';

/** One page of arXiv API results. */
export interface ArxivPage {
  /** `opensearch:totalResults`: how many results the whole query has, when the feed says. */
  totalResults?: number;
  /** Entries on the page, valid or not (a page shorter than asked for is the last one). */
  entryCount: number;
  /** The valid entries, in feed order. */
  papers: FeedPaper[];
  skipped: FeedSkip[];
}

type XmlNode = Record<string, unknown>;

const ARRAY_TAGS = new Set(['entry', 'author', 'category', 'link']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});
const ERROR_ENTRY_ID = /^https?:\/\/arxiv\.org\/api\/errors/i;

/** The text of an element, whether the parser gave a string or an object with attributes. */
function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && '#text' in node) return String((node as XmlNode)['#text']);
  return '';
}

function listOf(node: unknown): XmlNode[] {
  return Array.isArray(node) ? node.filter((item): item is XmlNode => typeof item === 'object' && item !== null) : [];
}

/** Parse the XML of an API response into its `<feed>` element; FeedError when it is not one. */
function parseFeedElement(xml: string): XmlNode {
  try {
    SyntaxValidator.validate(xml);
  } catch (error) {
    const line = (error as { line?: number }).line;
    throw new FeedError('format', `malformed XML${line ? ` at line ${line}` : ''}: ${(error as Error).message} ${quoteResponseStart(xml)}`, { cause: error });
  }
  const feed = (parser.parse(xml) as XmlNode).feed;
  if (!feed || typeof feed !== 'object') throw new FeedError('format', 'not an Atom feed: no <feed> element');
  return feed as XmlNode;
}

function categoriesOf(entry: XmlNode): string[] {
  const primary = (entry.primary_category as XmlNode | undefined)?.['@_term'];
  const terms = [primary, ...listOf(entry.category).map((category) => category['@_term'])];
  return [...new Set(terms.filter((term): term is string => typeof term === 'string' && term.trim() !== '').map((term) => term.trim()))];
}

/** One `<entry>` as a paper, or why it cannot be one. `position` (1-based, over the whole query) names it. */
function entryToPaper(entry: unknown, position: number, feed: string): FeedPaper | FeedSkip {
  if (!entry || typeof entry !== 'object') return { reason: `entry #${position}: empty <entry>` };
  return elementToPaper(entry as XmlNode, position, feed);
}

function elementToPaper(entry: XmlNode, position: number, feed: string): FeedPaper | FeedSkip {
  const rawId = textOf(entry.id).trim();
  const identifier = parseArxivId(rawId);
  const label = `entry #${position}${rawId ? ` (${rawId})` : ''}`;
  if (!identifier) return { reason: `${label}: ${rawId ? 'id is not an arXiv id' : 'no <id>'}` };
  const title = cleanFeedText(textOf(entry.title));
  const abstract = cleanFeedText(textOf(entry.summary));
  const published = normaliseFeedDate(textOf(entry.published));
  if (!title) return { reason: `${label}: missing title` };
  if (!abstract) return { reason: `${label}: missing abstract` };
  if (!published) return { reason: `${label}: missing or invalid <published> date` };
  const updated = normaliseFeedDate(textOf(entry.updated));
  const paper: FeedPaper = {
    arxivId: identifier.id,
    title,
    abstract,
    url: arxivAbsUrl(identifier.id),
    authors: listOf(entry.author).map((author) => cleanFeedText(textOf(author.name))).filter(Boolean),
    published,
    categories: categoriesOf(entry),
    feed,
  };
  if (identifier.version !== undefined) paper.version = identifier.version;
  if (updated) paper.updated = updated;
  return paper;
}

/**
 * Parse one page of the arXiv API (Atom 1.0). `start` is the page's offset in the query (for the
 * entry numbers in skip reasons). Throws FeedError on malformed XML, a document that is not an Atom
 * feed, or arXiv's error feed (HTTP 200 with a single entry titled "Error").
 */
export function parseArxivAtom(xml: string, options: { start: number; feed: string }): ArxivPage {
  const feedElement = parseFeedElement(xml);
  const entries: unknown[] = Array.isArray(feedElement.entry) ? feedElement.entry : [];
  const first = listOf(entries)[0];
  if (entries.length === 1 && first && ERROR_ENTRY_ID.test(textOf(first.id))) {
    throw new FeedError('format', `arXiv API error: ${cleanFeedText(textOf(first.summary)) || 'unspecified'}`);
  }
  const total = Number.parseInt(textOf(feedElement.totalResults), 10);
  const page: ArxivPage = { entryCount: entries.length, papers: [], skipped: [] };
  if (Number.isFinite(total)) page.totalResults = total;
  entries.forEach((entry, index) => {
    const result = entryToPaper(entry, options.start + index + 1, options.feed);
    if ('arxivId' in result) page.papers.push(result);
    else page.skipped.push(result);
  });
  return page;
}
