import type { PaperEntry } from '../corpus/paper.js';
import { PaperResolver } from './resolve-paper.js';

/**
 * Every paper of one version of the corpus as a catalogue entry, in corpus order, with what is built over
 * the list: by id, and the resolver of paper names. What naming, listing and autocomplete need — a search
 * never does (it looks names up in the store), so a store may read the list only when it is first asked for.
 */
export interface PaperCatalogue {
  papers: readonly PaperEntry[];
  byId: ReadonlyMap<string, PaperEntry>;
  resolver: PaperResolver<PaperEntry>;
}

/** The catalogue of papers already in memory. */
export function paperCatalogue(papers: readonly PaperEntry[]): PaperCatalogue {
  return { papers, byId: new Map(papers.map((paper) => [paper.id, paper])), resolver: new PaperResolver(papers) };
}

/**
 * The catalogue read with `read` on the first call, once (callers meanwhile share that read); a read
 * that fails is not kept: the next call reads again.
 */
export function lazyCatalogue(read: () => Promise<readonly PaperEntry[]>): () => Promise<PaperCatalogue> {
  let reading: Promise<PaperCatalogue> | undefined;
  return () =>
    (reading ??= read().then(paperCatalogue, (error: unknown) => {
      reading = undefined;
      throw error;
    }));
}
