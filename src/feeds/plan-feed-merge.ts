import { normalizeTitle } from '../corpus/normalize-title.js';
import { feedPaperCorpusId, readStoredRevision, toFeedCorpusRecord, type StoredRevision } from './feed-corpus-record.js';
import { compareRevisions, keepNewestRevisions, type FeedPaper } from './feed-paper.js';

/** A fetched paper that was not merged, and why. */
export interface MergeSkip {
  arxivId: string;
  reason: string;
}

export interface FeedMergePlan {
  /** The feeds file's lines after the merge (without line ends). */
  lines: string[];
  added: FeedPaper[];
  updated: FeedPaper[];
  /** Fetched papers whose stored line is the same, or holds a newer revision. */
  unchanged: FeedPaper[];
  skipped: MergeSkip[];
}

/** Keys under which papers of the other corpus files are looked up (their id, their title). */
export function corpusPaperKeys(paper: { id: string; title: string }): string[] {
  return [`id:${paper.id}`, `title:${normalizeTitle(paper.title, { keepAccents: true })}`];
}

function storedRevisions(lines: readonly string[]): Map<string, { index: number; revision: StoredRevision }> {
  const byId = new Map<string, { index: number; revision: StoredRevision }>();
  lines.forEach((line, index) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return; // Not ours to judge: the line stays as it is and the ingest reports it.
    }
    const revision = readStoredRevision(value);
    if (revision && !byId.has(revision.arxivId)) byId.set(revision.arxivId, { index, revision });
  });
  return byId;
}

/**
 * Merge fetched papers into the lines of the feeds corpus file: one line per arXiv id, a newer
 * revision replaces the stored one in place, new papers are appended, other lines are kept as they
 * are. A paper already in another corpus file (same id or same title; `elsewhere` maps
 * corpusPaperKeys to `file:line`) is skipped, so the corpus never holds it twice.
 */
export function planFeedMerge(storedLines: readonly string[], papers: readonly FeedPaper[], elsewhere: ReadonlyMap<string, string>): FeedMergePlan {
  const lines = storedLines.map((line) => line.trim()).filter(Boolean);
  const stored = storedRevisions(lines);
  const plan: FeedMergePlan = { lines, added: [], updated: [], unchanged: [], skipped: [] };
  for (const paper of keepNewestRevisions(papers)) {
    const location = corpusPaperKeys({ id: feedPaperCorpusId(paper), title: paper.title })
      .map((key) => elsewhere.get(key))
      .find(Boolean);
    if (location) {
      plan.skipped.push({ arxivId: paper.arxivId, reason: `already in the corpus as ${location}` });
      continue;
    }
    const line = JSON.stringify(toFeedCorpusRecord(paper));
    const existing = stored.get(paper.arxivId);
    if (!existing) {
      stored.set(paper.arxivId, { index: lines.push(line) - 1, revision: paper });
      plan.added.push(paper);
    } else if (lines[existing.index] === line || compareRevisions(paper, existing.revision) < 0) {
      plan.unchanged.push(paper);
    } else {
      lines[existing.index] = line;
      plan.updated.push(paper);
    }
  }
  return plan;
}
