import type { PaperStore } from '../store/paper-store.js';
import { openOrBuildIndex, type OpenOrBuildIndexOptions } from './open-or-build-index.js';

/**
 * The embedded paper store: the index files in `indexDir`, built and kept up to date from the
 * corpus folder when opened (see openOrBuildIndex).
 */
export function createLocalPaperStore(options: OpenOrBuildIndexOptions): PaperStore {
  return {
    async open() {
      const { papers, vectors, lexical, manifest } = await openOrBuildIndex(options);
      return {
        papers,
        vectors,
        lexical,
        info: { backend: 'local', embedder: manifest.embedder, paperCount: manifest.paperCount, updatedAt: manifest.updatedAt, version: manifest.generation },
      };
    },
  };
}
