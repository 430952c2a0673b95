import { stat } from 'node:fs/promises';
import path from 'node:path';
import { localCandidateSource } from '../retrieval/candidate-source.js';
import type { LexicalIndex } from '../retrieval/lexical-index.js';
import { MANIFEST_FILE } from '../store/index-layout.js';
import { readIndexManifest, type IndexManifest } from '../store/index-manifest.js';
import { openPaperIndex } from '../store/open-paper-index.js';
import { assignDistinctAliases, extractNameCandidates } from '../corpus/extract-aliases.js';
import { findNamedPapersIn, mentionCounter } from '../retrieval/match-aliases.js';
import { wholePapersIn } from '../corpus/paper-loader.js';
import type { Paper } from '../corpus/paper.js';
import type { OpenedPaperStore, PaperStore } from '../store/paper-store.js';
import type { VectorIndex } from '../store/vector-index.js';
import { openOrBuildIndex, type OpenOrBuildIndexOptions } from './open-or-build-index.js';
import { loadLexicalIndex } from './stored-lexical-index.js';

function infoOf(manifest: IndexManifest): OpenedPaperStore['info'] {
  return { backend: 'local', embedder: manifest.embedder, paperCount: manifest.paperCount, updatedAt: manifest.updatedAt, version: manifest.generation };
}

/** Identity of manifest.json as the file system sees it: a commit replaces it (rename), so this changes. */
async function manifestStamp(indexDir: string): Promise<string> {
  try {
    const s = await stat(path.join(indexDir, MANIFEST_FILE));
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'none';
  }
}

/** The local store's papers, with its in-process indexes. */
export type OpenedLocalPaperStore = OpenedPaperStore & { papers: readonly Paper[]; vectors: VectorIndex; lexical: LexicalIndex };

/** The local store: always able to tell its version and to reopen read-only. */
export interface LocalPaperStore extends PaperStore {
  open(): Promise<OpenedLocalPaperStore>;
  currentVersion(): Promise<string | undefined>;
  reopen(): Promise<OpenedLocalPaperStore>;
}

/**
 * The embedded paper store: the index files in `indexDir`, built and kept up to date from the
 * corpus folder when opened (see openOrBuildIndex). `currentVersion` reads the manifest only when its
 * file changed (one stat otherwise); `reopen` reads the current generation without building anything.
 */
export function createLocalPaperStore(options: OpenOrBuildIndexOptions): LocalPaperStore {
  const { indexDir } = options;
  let seen: { stamp: string; version: string | undefined } | undefined;
  const opened = (papers: readonly Paper[], vectors: VectorIndex, lexical: LexicalIndex, manifest: IndexManifest): OpenedLocalPaperStore => {
    // Papers just read from the index files: their names are set in place.
    assignDistinctAliases(papers, papers.map(extractNameCandidates), mentionCounter(lexical));
    return {
    papers,
    // The whole papers are in memory already.
    catalogue: async () => papers,
    wholePapers: wholePapersIn(papers),
    findNamed: findNamedPapersIn(papers),
    vectors,
    lexical,
    candidates: localCandidateSource(lexical, vectors),
    close: async () => undefined,
    info: infoOf(manifest),
    };
  };
  return {
    async open() {
      const { papers, vectors, lexical, manifest } = await openOrBuildIndex(options);
      return opened(papers, vectors, lexical, manifest);
    },
    async currentVersion() {
      const stamp = await manifestStamp(indexDir);
      if (seen?.stamp === stamp) return seen.version;
      const version = (await readIndexManifest(indexDir).catch(() => undefined))?.generation;
      seen = { stamp, version };
      return version;
    },
    async reopen() {
      const index = await openPaperIndex({ indexDir, embedder: options.embedder });
      return opened(index.papers, index.vectors, loadLexicalIndex(index.papers, index.lexical).index, index.manifest);
    },
  };
}
