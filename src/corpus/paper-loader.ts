import { UserFacingError } from '../errors.js';
import type { LoadPapers, Paper, PaperEntry } from './paper.js';

/** Whole papers kept by a loader, most recently used last (about 1.5 KB each). */
export const LOADED_PAPERS_KEPT = 2_000;

/** A paper entry that is a whole paper already (the local store keeps every abstract in memory). */
function isWhole(entry: PaperEntry): entry is Paper {
  return typeof (entry as Partial<Paper>).abstract === 'string';
}

/**
 * Whole papers from catalogue entries: an entry that is a whole paper is returned as it is; the others
 * are read with `wholePapers` (one call per load, for the ones not kept from an earlier load), with the
 * entry's names (`aliases`, `acronyms`), and kept, up to `kept` papers, so that a search's hits are the
 * same objects when an answer and its claim check load them again. An id that is not in `byId`, or that
 * the store no longer holds, is left out.
 */
export function createPaperLoader(
  byId: ReadonlyMap<string, PaperEntry>,
  wholePapers: (ids: readonly string[]) => Promise<ReadonlyMap<string, Paper>>,
  kept = LOADED_PAPERS_KEPT,
): LoadPapers {
  const recent = new Map<string, Paper>();
  const keep = (paper: Paper) => {
    recent.delete(paper.id);
    recent.set(paper.id, paper);
    if (recent.size > kept) recent.delete(recent.keys().next().value!);
  };
  return async (ids) => {
    const missing = [...new Set(ids)].filter((id) => {
      const entry = byId.get(id);
      return entry !== undefined && !isWhole(entry) && !recent.has(id);
    });
    const fetched = missing.length > 0 ? await wholePapers(missing) : new Map<string, Paper>();
    const out: Paper[] = [];
    for (const id of ids) {
      const entry = byId.get(id);
      if (!entry) continue;
      if (isWhole(entry)) {
        out.push(entry);
        continue;
      }
      const paper = recent.get(id) ?? withNamesOf(entry, fetched.get(id));
      if (paper) {
        keep(paper);
        out.push(paper);
      }
    }
    return out;
  };
}

/** A whole paper read from the store, with the names its catalogue entry was given (see assignDistinctAliases). */
function withNamesOf(entry: PaperEntry, whole: Paper | undefined): Paper | undefined {
  if (!whole) return undefined;
  const paper: Paper = { ...whole };
  if (entry.aliases) paper.aliases = entry.aliases;
  if (entry.acronyms) paper.acronyms = entry.acronyms;
  return paper;
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

/** A loader over whole papers in memory. */
export function wholePaperLoader(papers: readonly Paper[]): LoadPapers {
  return createPaperLoader(new Map(papers.map((paper) => [paper.id, paper])), async () => new Map());
}
