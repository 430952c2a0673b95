import type { Paper } from '../corpus/paper.js';

/**
 * The text embedded for a paper (ingest and retrieval must agree on it): the title, then the
 * abstract. The title is repeated once so it weighs a little more in the averaged vector.
 */
export function paperEmbeddingText(paper: Pick<Paper, 'title' | 'abstract'>): string {
  return `${paper.title}. ${paper.title}. ${paper.abstract}`;
}
