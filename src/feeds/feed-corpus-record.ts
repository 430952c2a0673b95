import { arxivIdFromUrl, paperId } from '../corpus/paper-identity.js';
import { parseArxivId } from './arxiv-id.js';
import type { FeedPaper } from './feed-paper.js';

/**
 * One line of the feeds corpus file. `title`…`tags` are the corpus JSONL fields (`tags` holds the
 * arXiv categories); `arxivId`, `version` and `updated` are extra fields the JSONL parser ignores,
 * kept so a later fetch can tell which revision is stored.
 */
export interface FeedCorpusRecord {
  title: string;
  abstract: string;
  url: string;
  authors: string[];
  published?: string;
  tags: string[];
  arxivId: string;
  version?: number;
  updated?: string;
}

/** The revision a stored line holds (what a newer fetch is compared with). */
export interface StoredRevision {
  arxivId: string;
  version?: number;
  updated?: string;
  published?: string;
}

/** The corpus line of a feed paper, with a fixed key order so the same paper always serialises alike. */
export function toFeedCorpusRecord(paper: FeedPaper): FeedCorpusRecord {
  return {
    title: paper.title,
    abstract: paper.abstract,
    url: paper.url,
    authors: paper.authors,
    ...(paper.published ? { published: paper.published } : {}),
    tags: paper.categories,
    arxivId: paper.arxivId,
    ...(paper.version !== undefined ? { version: paper.version } : {}),
    ...(paper.updated ? { updated: paper.updated } : {}),
  };
}

/** The id the corpus gives a feed paper once ingested (`arxiv-<id>`), as paper-identity derives it. */
export function feedPaperCorpusId(paper: Pick<FeedPaper, 'title' | 'url'>): string {
  return paperId(paper.title, paper.url);
}

const optionalString = (value: unknown) => (typeof value === 'string' && value.trim() ? value : undefined);

/** The revision held by a parsed corpus line, or undefined when the line is not an arXiv paper. */
export function readStoredRevision(value: unknown): StoredRevision | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const arxivId = (typeof record.arxivId === 'string' ? parseArxivId(record.arxivId)?.id : undefined) ?? arxivIdFromUrl(optionalString(record.url));
  if (!arxivId) return undefined;
  const revision: StoredRevision = { arxivId };
  if (typeof record.version === 'number' && Number.isInteger(record.version)) revision.version = record.version;
  const updated = optionalString(record.updated);
  const published = optionalString(record.published);
  if (updated) revision.updated = updated;
  if (published) revision.published = published;
  return revision;
}
