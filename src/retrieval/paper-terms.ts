import type { Paper } from '../corpus/paper.js';
import { tokenize } from '../text/tokenize.js';

/** Papers whose term sets are kept; past this the cache starts again (bounded memory at any corpus size). */
const TERM_CACHE_LIMIT = 50_000;

/** The stemmed terms of a paper's title and abstract, computed on first need and cached. */
export function createPaperTerms(byId: ReadonlyMap<string, Paper>): (id: string) => ReadonlySet<string> {
  const cache = new Map<string, ReadonlySet<string>>();
  return (id) => {
    let terms = cache.get(id);
    if (!terms) {
      const paper = byId.get(id);
      terms = new Set(paper ? tokenize(`${paper.title} ${paper.abstract}`) : []);
      if (cache.size >= TERM_CACHE_LIMIT) cache.clear();
      cache.set(id, terms);
    }
    return terms;
  };
}
