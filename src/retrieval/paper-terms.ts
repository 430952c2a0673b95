import type { Paper } from '../corpus/paper.js';
import { tokenize } from '../text/tokenize.js';

/** Papers whose term sets are kept; past this the cache starts again (bounded memory at any corpus size). */
const TERM_CACHE_LIMIT = 50_000;

/** The stemmed terms of a paper's title and abstract, computed on first need and cached by paper id. */
export function createPaperTerms(): (paper: Pick<Paper, 'id' | 'title' | 'abstract'>) => ReadonlySet<string> {
  const cache = new Map<string, ReadonlySet<string>>();
  return (paper) => {
    let terms = cache.get(paper.id);
    if (!terms) {
      terms = new Set(tokenize(`${paper.title} ${paper.abstract}`));
      if (cache.size >= TERM_CACHE_LIMIT) cache.clear();
      cache.set(paper.id, terms);
    }
    return terms;
  };
}
