import type { SkippedRecord } from '../corpus/paper.js';
import type { Embedder } from '../embedding/embedder.js';
import { loadCorpusDir, stampCorpusDir } from './corpus-dir.js';
import { ingestPapers, type IngestProgress, type IngestSummary } from './ingest-papers.js';

export interface IngestCorpusDirOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  rebuild?: boolean;
  onProgress?: (progress: IngestProgress) => void;
  /** Called once with a short summary when malformed corpus records were skipped. */
  onWarning?: (message: string) => void;
  batchSize?: number;
  /** Wait this long for another writer before failing with IndexLockedError (default 0). */
  lockWaitMs?: number;
}

export interface IngestCorpusDirResult {
  /** `skipped` counts malformed corpus records plus duplicate ids. */
  summary: IngestSummary;
  /** The malformed / duplicate corpus records, with file, line and reason. */
  skipped: SkippedRecord[];
}

/** Describe skipped records in one line (first three, then "…"). */
export function describeSkipped(skipped: readonly SkippedRecord[]): string {
  const first = skipped.slice(0, 3).map((s) => `${s.file}:${s.line} ${s.reason}`);
  return `Skipped ${skipped.length} malformed corpus record(s): ${first.join('; ')}${skipped.length > 3 ? '; …' : ''}`;
}

/**
 * Parse every corpus file of `corpusDir` and ingest the papers into `indexDir` (incremental unless
 * `rebuild`), recording the corpus file stamps in the manifest. What `paperbot ingest` runs.
 */
export async function ingestCorpusDir(options: IngestCorpusDirOptions): Promise<IngestCorpusDirResult> {
  const stamps = await stampCorpusDir(options.corpusDir);
  const corpus = await loadCorpusDir(options.corpusDir);
  if (corpus.skipped.length > 0) options.onWarning?.(describeSkipped(corpus.skipped));
  const summary = await ingestPapers({
    indexDir: options.indexDir,
    papers: corpus.papers,
    embedder: options.embedder,
    corpus: stamps,
    ...(options.rebuild !== undefined ? { rebuild: options.rebuild } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}),
  });
  return { summary: { ...summary, skipped: summary.skipped + corpus.skipped.length }, skipped: corpus.skipped };
}
