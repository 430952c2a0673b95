import type { Paper, SkippedRecord } from '../corpus/paper.js';
import type { Embedder } from '../embedding/embedder.js';
import type { LexicalIndex } from '../retrieval/lexical-index.js';
import { IndexCorruptError, IndexMissingError } from '../store/index-errors.js';
import { assertSameEmbedder, readIndexManifest, sameCorpusStamps, type IndexManifest } from '../store/index-manifest.js';
import { openPaperIndex, type OpenedPaperIndex } from '../store/open-paper-index.js';
import type { VectorIndex } from '../store/vector-index.js';
import { listCorpusFiles, stampCorpusDir } from './corpus-dir.js';
import { ingestCorpusDir, type IngestCorpusDirResult } from './ingest-corpus-dir.js';
import type { IngestProgress, IngestSummary } from './ingest-papers.js';
import { loadLexicalIndex } from './stored-lexical-index.js';

/** How long a reader waits for another process's ingest before failing. */
const DEFAULT_LOCK_WAIT_MS = 120_000;
/** Skipped records named in the one-line warning before "…". */
const SKIPPED_IN_WARNING = 3;

export interface OpenOrBuildIndexOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** When given, an empty or missing corpus folder is first seeded with this file. */
  bundledCorpusFile?: string | undefined;
  onProgress?: ((progress: IngestProgress) => void) | undefined;
  /** Human-readable warnings: corpus seeded, index rebuilt because unreadable, corpus records skipped, waiting for another ingest. */
  onWarning?: ((message: string) => void) | undefined;
  /** How long to wait for another process's ingest before failing (default 120 s). */
  lockWaitMs?: number | undefined;
}

export interface OpenedIndex {
  papers: Paper[];
  vectors: VectorIndex;
  /** The BM25 index of the papers: loaded from the index when stored by this code, else built. */
  lexical: LexicalIndex;
  /** True when `lexical` was loaded from the index (false: built from the papers now). */
  lexicalLoaded: boolean;
  manifest: IndexManifest;
  /** Present when the index was built or updated by this call. */
  summary?: IngestSummary;
  /** Malformed and duplicate corpus records (present when the corpus was parsed by this call). */
  skipped?: SkippedRecord[];
}

/** Describe skipped records in one line (the first few, then "…"). */
export function describeSkipped(skipped: readonly SkippedRecord[]): string {
  const first = skipped.slice(0, SKIPPED_IN_WARNING).map((s) => `${s.file}:${s.line} ${s.reason}`);
  return `Skipped ${skipped.length} corpus record(s): ${first.join('; ')}${skipped.length > SKIPPED_IN_WARNING ? '; …' : ''}`;
}

function rebuildWarning(error: IndexCorruptError): string {
  return `The paper index in ${error.indexDir} is unreadable (${error.detail}); rebuilding it from the corpus.`;
}

/** Whether the index must be brought up to date from the corpus before it is opened, or rebuilt from scratch. */
async function neededBuild(options: OpenOrBuildIndexOptions): Promise<'none' | 'update' | 'rebuild'> {
  const { corpusDir, indexDir, onWarning } = options;
  let manifest: IndexManifest | undefined;
  try {
    manifest = await readIndexManifest(indexDir);
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    onWarning?.(rebuildWarning(error));
    return 'rebuild';
  }
  if (manifest) assertSameEmbedder(indexDir, manifest, options.embedder);
  const unseeded = options.bundledCorpusFile !== undefined && (await listCorpusFiles(corpusDir)).length === 0;
  if (!manifest || unseeded || !sameCorpusStamps(manifest.corpus, await stampCorpusDir(corpusDir))) return 'update';
  return 'none';
}

/**
 * Open the paper index, building or refreshing it from the corpus folder when needed:
 * - no index yet → build it (first use; an empty corpus folder is seeded first);
 * - unreadable index (empty/truncated files) → rebuild it from the corpus, with a warning;
 * - corpus files changed since the index was built (size/mtime stamps) → incremental ingest;
 * - index built by another embedder → EmbedderMismatchError (rebuild explicitly: `paperbot ingest --rebuild`).
 */
export async function openOrBuildIndex(options: OpenOrBuildIndexOptions): Promise<OpenedIndex> {
  const { corpusDir, indexDir, embedder, onWarning } = options;
  const build = async (rebuild: boolean): Promise<IngestCorpusDirResult> => {
    const built = await ingestCorpusDir({
      corpusDir,
      indexDir,
      embedder,
      rebuild,
      bundledCorpusFile: options.bundledCorpusFile,
      lockWaitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
      onLockWait: (owner) => onWarning?.(`Another ingest${owner ? ` (pid ${owner.pid})` : ''} is updating the index in ${indexDir}; waiting for it to finish.`),
      onProgress: options.onProgress,
      onWarning,
    });
    if (built.skipped.length > 0) onWarning?.(describeSkipped(built.skipped));
    return built;
  };

  let built: IngestCorpusDirResult | undefined;
  const needed = await neededBuild(options);
  if (needed !== 'none') {
    try {
      built = await build(needed === 'rebuild');
    } catch (error) {
      // The manifest was readable but another part of the index is not: rebuild from the corpus.
      if (!(error instanceof IndexCorruptError) || needed === 'rebuild') throw error;
      onWarning?.(rebuildWarning(error));
      built = await build(true);
    }
  }

  let opened: OpenedPaperIndex;
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
    manifest: opened.manifest,
    ...(built ? { summary: built.summary, skipped: built.skipped } : {}),
  };
}
