import { cleanText } from '../corpus/paper-identity.js';

/** One paper as a feed delivered it, normalised: what is merged into the corpus. */
export interface FeedPaper {
  /** arXiv id without version: the paper's identity across feeds and fetches. */
  arxivId: string;
  /** Version the text belongs to, when the feed says (arXiv does, Hugging Face does not). */
  version?: number;
  title: string;
  abstract: string;
  /** `https://arxiv.org/abs/<arxivId>`. */
  url: string;
  authors: string[];
  /** First submission (ISO 8601). */
  published?: string;
  /** Date of this version (ISO 8601), when the feed says. */
  updated?: string;
  /** arXiv categories, primary first (e.g. `cs.LG`). */
  categories: string[];
  /** Name of the feed it came from (e.g. `hf:daily`). */
  feed: string;
}

/** Something a feed delivered that could not become a paper, with why (and which entry). */
export interface FeedSkip {
  reason: string;
}

/**
 * Clean feed text: Atom titles and summaries arrive hard-wrapped, indented and sometimes with LaTeX
 * line breaks (`\\`, `\newline`); all of these become single spaces.
 */
export function cleanFeedText(text: string): string {
  return cleanText(text.replace(/\\\\|\\newline\b/g, ' '));
}

/** An ISO 8601 string for a feed date, or undefined when it is missing or not a date. */
export function normaliseFeedDate(value: string | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function revisionDate(paper: Pick<FeedPaper, 'updated' | 'published'>): number {
  const date = paper.updated ?? paper.published;
  return date ? Date.parse(date) : Number.NEGATIVE_INFINITY;
}

/**
 * Order two revisions of the same paper: > 0 when `a` is newer. Versions decide when both are known;
 * otherwise the date of the revision (updated, else published); at equal dates the one that names
 * its version (arXiv's own entry) counts as newer.
 */
export function compareRevisions(a: Pick<FeedPaper, 'version' | 'updated' | 'published'>, b: Pick<FeedPaper, 'version' | 'updated' | 'published'>): number {
  if (a.version !== undefined && b.version !== undefined && a.version !== b.version) return a.version - b.version;
  const byDate = revisionDate(a) - revisionDate(b);
  if (byDate !== 0 && !Number.isNaN(byDate)) return byDate;
  return Number(a.version !== undefined) - Number(b.version !== undefined);
}

/** One paper per arXiv id, the newest revision of each (the first seen wins a tie), in first-seen order. */
export function keepNewestRevisions(papers: Iterable<FeedPaper>): FeedPaper[] {
  const byId = new Map<string, FeedPaper>();
  for (const paper of papers) {
    const kept = byId.get(paper.arxivId);
    if (!kept || compareRevisions(paper, kept) > 0) byId.set(paper.arxivId, paper);
  }
  return [...byId.values()];
}
