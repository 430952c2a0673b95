import { localCandidateSource } from '../retrieval/candidate-source.js';
import type { LexicalIndex } from '../retrieval/lexical-index.js';
import type { OpenedPaperStore } from '../store/paper-store.js';
import type { VectorIndex } from '../store/vector-index.js';
import { openOrBuildIndex, type OpenOrBuildIndexOptions } from './open-or-build-index.js';

/** The local store's papers, with its in-process indexes. */
export type OpenedLocalPaperStore = OpenedPaperStore & { vectors: VectorIndex; lexical: LexicalIndex };

/**
 * The embedded paper store: the index files in `indexDir`, built and kept up to date from the
 * corpus folder when opened (see openOrBuildIndex).
 */
export function createLocalPaperStore(options: OpenOrBuildIndexOptions): { open(): Promise<OpenedLocalPaperStore> } {
  return {
    async open() {
      const { papers, vectors, lexical, manifest } = await openOrBuildIndex(options);
      return {
        papers,
        vectors,
        lexical,
        candidates: localCandidateSource(lexical, vectors),
        close: async () => undefined,
        info: { backend: 'local', embedder: manifest.embedder, paperCount: manifest.paperCount, updatedAt: manifest.updatedAt, version: manifest.generation },
      };
    },
  };
}
