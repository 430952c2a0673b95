import { z } from 'zod';
import { arxivAbsUrl, parseArxivId } from './arxiv-id.js';
import { FeedError, quoteResponseStart } from './feed-error.js';
import { cleanFeedText, normaliseFeedDate, type FeedPaper, type FeedSkip } from './feed-paper.js';

/** What we read of one item of `/api/daily_papers` (the API sends much more; the rest is ignored). */
const dailyPaperItem = z.looseObject({
  paper: z.looseObject({
    id: z.string(),
    title: z.string(),
    summary: z.string().nullish(),
    authors: z.array(z.looseObject({ name: z.string().nullish() })).nullish(),
    publishedAt: z.string().nullish(),
    upvotes: z.number().nullish(),
  }),
});

export interface HfDailyPage {
  papers: FeedPaper[];
  skipped: FeedSkip[];
}

/** A longer id is cut in skip reasons. */
const MAX_ID_CHARS = 40;

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid item';
  const field = issue.path.join('.') || 'item';
  if (issue.code !== 'invalid_type') return `"${field}" ${issue.message}`;
  return `"${field}" missing or not ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
}

function itemToPaper(item: unknown, label: string, feed: string): FeedPaper | FeedSkip {
  const parsed = dailyPaperItem.safeParse(item);
  if (!parsed.success) return { reason: `${label}: ${describeIssue(parsed.error)}` };
  const { paper } = parsed.data;
  const identifier = parseArxivId(paper.id);
  if (!identifier) return { reason: `${label}: id ${JSON.stringify(paper.id.slice(0, MAX_ID_CHARS))} is not an arXiv id` };
  const title = cleanFeedText(paper.title);
  const abstract = cleanFeedText(paper.summary ?? '');
  if (!title) return { reason: `${label} (${identifier.id}): missing title` };
  if (!abstract) return { reason: `${label} (${identifier.id}): missing abstract` };
  const result: FeedPaper = {
    arxivId: identifier.id,
    title,
    abstract,
    url: arxivAbsUrl(identifier.id),
    authors: (paper.authors ?? []).map((author) => cleanFeedText(author.name ?? '')).filter(Boolean),
    categories: [],
    feed,
  };
  if (identifier.version !== undefined) result.version = identifier.version;
  const published = normaliseFeedDate(paper.publishedAt ?? undefined);
  if (published) result.published = published;
  return result;
}

/**
 * Parse one day of Hugging Face daily papers (a JSON list of `{paper: {id, title, summary, authors,
 * publishedAt, upvotes}}`). A bad item is skipped with its reason; a body that is not a JSON list is
 * a FeedError.
 */
export function parseHfDailyPapers(text: string, options: { date: string; feed: string }): HfDailyPage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FeedError('format', `malformed JSON: ${(error as Error).message} ${quoteResponseStart(text)}`, { cause: error });
  }
  if (!Array.isArray(value)) throw new FeedError('format', `expected a JSON list of papers, got ${value === null ? 'null' : typeof value}`);
  const page: HfDailyPage = { papers: [], skipped: [] };
  value.forEach((item, index) => {
    const result = itemToPaper(item, `${options.date} item #${index + 1}`, options.feed);
    if ('arxivId' in result) page.papers.push(result);
    else page.skipped.push(result);
  });
  return page;
}
