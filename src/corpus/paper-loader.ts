import { UserFacingError } from '../errors.js';
import type { LoadPapers, Paper, PaperEntry } from './paper.js';

/** Whole papers kept by a loader, most recently used last (about 1.5 KB each). */
export const LOADED_PAPERS_KEPT = 2_000;

/**
 * Whole papers by id from a store (`wholePapers`: one call per load, for the ones not kept from an
 * earlier load), kept up to `kept` papers, so that a search's hits are the same objects when an answer
 * and its claim check load them again. An id the store does not hold (any more) is left out.
 */
export function createPaperLoader(wholePapers: (ids: readonly string[]) => Promise<ReadonlyMap<string, Paper>>, kept = LOADED_PAPERS_KEPT): LoadPapers {
  const recent = new Map<string, Paper>();
  const keep = (paper: Paper) => {
    recent.delete(paper.id);
    recent.set(paper.id, paper);
    if (recent.size > kept) recent.delete(recent.keys().next().value!);
  };
  return async (ids) => {
    const missing = [...new Set(ids)].filter((id) => !recent.has(id));
    const fetched = missing.length > 0 ? await wholePapers(missing) : new Map<string, Paper>();
    const out: Paper[] = [];
    for (const id of ids) {
      const paper = recent.get(id) ?? fetched.get(id);
      if (paper) {
        keep(paper);
        out.push(paper);
      }
    }
    return out;
  };
}

/**
 * The whole papers of entries a user named (resolved over this process's list), in order; a
 * UserFacingError when one is gone — only when another process removed it since the list was loaded.
 */
export async function loadNamedPapers(load: LoadPapers, entries: readonly PaperEntry[]): Promise<Paper[]> {
  const papers = await load(entries.map((entry) => entry.id));
  const loaded = new Set(papers.map((paper) => paper.id));
  const gone = entries.find((entry) => !loaded.has(entry.id));
  if (gone) throw new UserFacingError('unknown-paper', `"${gone.title}" is no longer in the corpus.`);
  return papers;
}

/** The whole papers of `ids` among papers in memory (what a store that holds them in memory answers). */
export function wholePapersIn(papers: readonly Paper[]): (ids: readonly string[]) => Promise<ReadonlyMap<string, Paper>> {
  const byId = new Map(papers.map((paper) => [paper.id, paper]));
  return async (ids) => new Map(ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!] as const] : [])));
}

/** A loader over whole papers in memory (the same objects, in the order asked). */
export function wholePaperLoader(papers: readonly Paper[]): LoadPapers {
  const whole = wholePapersIn(papers);
  return async (ids) => {
    const found = await whole(ids);
    return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  };
}
