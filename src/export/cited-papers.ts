import type { AnswerSource } from '../answer/answer-types.js';
import type { PaperEntry } from '../corpus/paper.js';

/** A paper to export: what the corpus knows of it (or only what the answer showed, if it is gone from the corpus). */
export interface CitedPaper {
  id: string;
  title: string;
  url: string;
  authors?: readonly string[];
  /** ISO date string when known. */
  published?: string;
}

/**
 * The distinct papers behind answers' sources, in first-cited order: full metadata from the corpus
 * when it still has the paper, else the id, title and url the answer showed.
 */
export function collectCitedPapers(sources: readonly AnswerSource[], getPaper: (id: string) => PaperEntry | undefined): CitedPaper[] {
  const seen = new Set<string>();
  const papers: CitedPaper[] = [];
  for (const source of sources) {
    if (seen.has(source.id)) continue;
    seen.add(source.id);
    const paper = getPaper(source.id);
    if (!paper) {
      papers.push({ id: source.id, title: source.title, url: source.url });
      continue;
    }
    const cited: CitedPaper = { id: paper.id, title: paper.title, url: paper.url };
    if (paper.authors?.length) cited.authors = paper.authors;
    if (paper.published) cited.published = paper.published;
    papers.push(cited);
  }
  return papers;
}
