import type { Paper, SkippedRecord } from '../corpus/paper.js';
import type { Embedder } from '../embedding/embedder.js';
import type { LexicalIndex } from '../retrieval/lexical-index.js';
import { IndexCorruptError, IndexMissingError } from '../store/index-errors.js';
import { assertSameEmbedder, readIndexManifest, sameCorpusStamps, type IndexManifest } from '../store/index-manifest.js';
import { openPaperIndex } from '../store/open-paper-index.js';
import type { VectorIndex } from '../store/vector-index.js';
import { ensureCorpus, stampCorpusDir } from './corpus-dir.js';
import { ingestCorpusDir } from './ingest-corpus-dir.js';
import type { IngestProgress, IngestSummary } from './ingest-papers.js';
import { loadLexicalIndex } from './stored-lexical-index.js';

export interface OpenOrBuildIndexOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** When given, an empty or missing corpus folder is first seeded with this file. */
  bundledCorpusFile?: string;
  onProgress?: (progress: IngestProgress) => void;
  /** Human-readable warnings: index rebuilt because unreadable, malformed corpus records skipped. */
  onWarning?: (message: string) => void;
  /** How long to wait for another process's ingest before failing (default 120 s). */
  lockWaitMs?: number;
}

export interface OpenedIndex {
  papers: Paper[];
  vectors: VectorIndex;
  /** The BM25 index of the papers: loaded from the index when stored by this code, else built. */
  lexical: LexicalIndex;
  /** True when `lexical` was loaded from the index (false: built from the papers now). */
  lexicalLoaded: boolean;
  /** Present when the index was built or updated by this call. */
  summary?: IngestSummary;
  /** Malformed corpus records (present when the corpus was parsed by this call). */
  skipped?: SkippedRecord[];
}

function rebuildWarning(error: IndexCorruptError): string {
  return `The paper index in ${error.indexDir} is unreadable (${error.detail}); rebuilding it from the corpus.`;
}

/**
 * Open the paper index, building or refreshing it from the corpus folder when needed:
 * - no index yet → build it (first use);
 * - unreadable index (empty/truncated files) → rebuild it from the corpus, with a warning;
 * - corpus files changed since the index was built (size/mtime stamps) → incremental ingest;
 * - index built by another embedder → EmbedderMismatchError (rebuild explicitly: `paperbot ingest --rebuild`).
 */
export async function openOrBuildIndex(options: OpenOrBuildIndexOptions): Promise<OpenedIndex> {
  const { corpusDir, indexDir, embedder, onWarning } = options;
  if (options.bundledCorpusFile) {
    const seeded = await ensureCorpus(corpusDir, options.bundledCorpusFile);
    if (seeded.seeded) onWarning?.(`The corpus folder ${corpusDir} was empty; seeded it with ${seeded.files.join(', ')}.`);
  }
  const stamps = await stampCorpusDir(corpusDir);

  let rebuild = false;
  let manifest: IndexManifest | undefined;
  try {
    manifest = await readIndexManifest(indexDir);
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    onWarning?.(rebuildWarning(error));
    rebuild = true;
  }
  if (manifest) assertSameEmbedder(indexDir, manifest, embedder);

  const build = (rebuildIndex: boolean) =>
    ingestCorpusDir({
      corpusDir,
      indexDir,
      embedder,
      rebuild: rebuildIndex,
      lockWaitMs: options.lockWaitMs ?? 120_000,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(onWarning ? { onWarning } : {}),
    });

  let built: { summary: IngestSummary; skipped: SkippedRecord[] } | undefined;
  if (rebuild || !manifest || !sameCorpusStamps(manifest.corpus, stamps)) {
    try {
      built = await build(rebuild);
    } catch (error) {
      // The manifest was readable but another part of the index is not: rebuild from the corpus.
      if (!(error instanceof IndexCorruptError) || rebuild) throw error;
      onWarning?.(rebuildWarning(error));
      built = await build(true);
    }
  }

  let opened;
  try {
    opened = await openPaperIndex({ indexDir, embedder });
  } catch (error) {
    if (!(error instanceof IndexCorruptError || error instanceof IndexMissingError) || built?.summary.rebuilt) throw error;
    if (error instanceof IndexCorruptError) onWarning?.(rebuildWarning(error));
    built = await build(true);
    opened = await openPaperIndex({ indexDir, embedder });
  }
  const lexical = loadLexicalIndex(opened.papers, opened.lexical);
  return {
    papers: opened.papers,
    vectors: opened.vectors,
    lexical: lexical.index,
    lexicalLoaded: lexical.loaded,
    ...(built ? { summary: built.summary, skipped: built.skipped } : {}),
  };
}
